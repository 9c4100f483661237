/**
 * Peak memory and time of `reproduce` on a registry with one large study (issue 11, item 4: a
 * 200 MB CSV crashed reproduce; memory must not grow without bound). Not part of `make test` (it
 * computes for minutes); run by hand, after `make build`:
 *
 *   node_modules/.bin/tsx test/hostile/measure-reproduce-memory.ts [RUNS] [CHECKPOINTS_PER_RUN] [REPLICATES]
 *
 * It writes a temporary registry holding the repository's vocabulary and one contributed study of
 * RUNS × CHECKPOINTS_PER_RUN checkpoints (test/helpers/contributed-study.ts; default 20 × 5,000 =
 * 100,000 rows), runs the compiled CLI's reproduce on it in a child process (fresh, a private cache,
 * REPLICATES bootstrap replicates, default 10) under /usr/bin/time, and prints the CSV's size, the
 * child's peak resident set size, its wall and CPU time, and the largest files it wrote. The folder
 * is removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, STUDIES_DIR } from '../../pipeline/util/paths.ts';
import { writeContributedStudy } from '../helpers/contributed-study.ts';

function filesBySize(dir: string): { path: string; bytes: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path: path.slice(dir.length + 1), bytes: statSync(path).size };
    })
    .sort((a, b) => b.bytes - a.bytes);
}

const [runs = 20, checkpointsPerRun = 5_000, replicates = 10] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), 'dsa-big-reproduce-'));
try {
  const registry = join(dir, 'studies');
  cpSync(join(STUDIES_DIR, 'vocabulary.json'), join(registry, 'vocabulary.json'));
  const id = writeContributedStudy(registry, { runs, checkpointsPerRun });
  const csv = join(registry, id, 'observations.csv');
  console.log(`wrote ${id}/observations.csv: ${(statSync(csv).size / 1024 / 1024).toFixed(1)} MB, ${runs * checkpointsPerRun} rows`);
  const out = join(dir, 'outputs');
  const cli = join(ROOT, '.build', 'pipeline', 'cli', 'main.js');
  const args = ['-f', '%M %e %U %S', 'node', cli, 'reproduce', '--studies', registry, '--out', out, '--replicates', String(replicates), '--fresh', '--cache', join(dir, 'cache')];
  const child = spawnSync('/usr/bin/time', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const measured = child.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  if (child.status !== 0 || measured.length !== 4) {
    console.log(`reproduce failed (exit ${child.status}):\n${child.stderr.slice(-2000)}`);
  } else {
    const [kilobytes, wall, user, system] = measured as [number, number, number, number];
    console.log(`reproduce: peak RSS ${Math.round(kilobytes / 1024)} MB, wall ${wall.toFixed(1)} s, CPU ${(user + system).toFixed(1)} s`);
    console.log('largest outputs:');
    for (const { path, bytes } of filesBySize(out).slice(0, 6)) console.log(`  ${(bytes / 1024 / 1024).toFixed(2)} MB  ${path}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
