/**
 * Peak memory of `make validate` on a large valid registry (issue 11: ≤ 1 GB for a 200 MB CSV).
 * Not part of `make test` (writing 200 MB is too slow for it); run by hand:
 *
 *   node_modules/.bin/tsx test/hostile/measure-validate-memory.ts [MEGABYTES, default 200]
 *
 * It copies the good fixture registry into a temporary folder, grows synthetic-models/observations.csv
 * to the given size with distinct valid rows, runs the validate command in a child process and prints
 * that process's peak resident set size (and removes the folder).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateCommand } from '../../pipeline/cli/validate-command.ts';
import { ROOT } from '../../pipeline/util/paths.ts';
import { GOOD_REGISTRY } from '../helpers/registry.ts';

const HEADER = 'model,corpus,params,tokens,loss:web,loss:code,task:toy_mc,task:toy_cloze\n';

/** Write a valid synthetic-models observations.csv of about `bytes` bytes; returns its row count. */
export function writeLargeObservations(path: string, bytes: number): number {
  const fd = openSync(path, 'w');
  let written = writeSync(fd, HEADER);
  let rows = 0;
  try {
    while (written < bytes) {
      const lines: string[] = [];
      for (let k = 0; k < 10_000; k++, rows++) {
        const loss = (2 + (rows % 1000) / 500).toFixed(3);
        lines.push(`m${rows},toyweb,${1_000_000 + rows},${20_000_000 + rows},${loss},${loss},0.${(rows % 89) + 10},0.${(rows % 97) + 2}`);
      }
      written += writeSync(fd, `${lines.join('\n')}\n`);
    }
  } finally {
    closeSync(fd);
  }
  return rows;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    const code = await validateCommand.run(['--studies', process.argv[3]!]);
    console.log(`peak RSS of the validate process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (exit ${code})`);
    return;
  }
  const megabytes = Number(process.argv[2] ?? 200);
  const dir = mkdtempSync(join(tmpdir(), 'dsa-big-registry-'));
  try {
    cpSync(GOOD_REGISTRY, dir, { recursive: true });
    const csv = join(dir, 'synthetic-models', 'observations.csv');
    const rows = writeLargeObservations(csv, megabytes * 1024 * 1024);
    console.log(`wrote ${csv}: ${(statSync(csv).size / 1024 / 1024).toFixed(1)} MB, ${rows} rows`);
    const started = Date.now();
    const child = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'test', 'hostile', 'measure-validate-memory.ts'), '--child', dir], { cwd: ROOT, encoding: 'utf8' });
    process.stdout.write(child.stdout);
    process.stderr.write(child.stderr.slice(0, 2000));
    console.log(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
