/**
 * Live heap that ingest and normalize keep per observation row, measured after garbage collection
 * (issue 11, item 4: reproduce's memory grew with the registry at about 0.8 KB of ingest heap per
 * row, an object with three Maps per row). Needs --expose-gc; prints one JSON line. Used by
 * memory.test.ts, and by hand:
 *
 *   node --expose-gc --import tsx test/hostile/measure-ingest-heap.ts [RUNS] [CHECKPOINTS_PER_RUN]
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestRegistry } from '../../pipeline/ingest/ingest.ts';
import { normalize } from '../../pipeline/normalize/normalize.ts';
import { STUDIES_DIR } from '../../pipeline/util/paths.ts';
import { writeContributedStudy } from '../helpers/contributed-study.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const heap = (): number => {
  gc();
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
};

const [runs = 20, checkpointsPerRun = 2_500] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), 'dsa-ingest-heap-'));
try {
  cpSync(join(STUDIES_DIR, 'vocabulary.json'), join(dir, 'vocabulary.json'));
  writeContributedStudy(dir, { runs, checkpointsPerRun });
  const rows = runs * checkpointsPerRun;
  const before = heap();
  const ingest = ingestRegistry(dir);
  const afterIngest = heap();
  const dataset = normalize(ingest.studies, ingest.vocabulary);
  const afterNormalize = heap();
  if (ingest.problemCount > 0 || dataset.studies.length !== 1) throw new Error(`unexpected problems: ${ingest.problems.slice(0, 3).map((p) => p.message).join('; ')}`);
  console.log(JSON.stringify({ rows, ingestBytesPerRow: Math.round((afterIngest - before) / rows), normalizeBytesPerRow: Math.round((afterNormalize - afterIngest) / rows) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
