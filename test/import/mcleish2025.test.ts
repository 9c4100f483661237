/**
 * The Gemstones importer on a tiny release written here: two parquet tables (scores, standard errors)
 * written with hyparquet-writer and two JSON-lines loss files, for one model with three checkpoints.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { importMcleish2025, parseRowLabel } from '../../pipeline/import/mcleish2025.ts';
import { readParquetRows } from '../../pipeline/import/parquet.ts';
import { makeTempDir, removeTempDirs } from '../helpers/registry.ts';

const LABELS = ['Gemstone-256x3-main', 'Gemstone-256x3-step_00000010', 'Gemstone-256x3-step_00000020'];
const se = (p: number, n: number): number => Math.sqrt((p * (1 - p)) / (n - 1));

function writeRelease(options: { lossSteps?: number[] } = {}): string {
  const dir = makeTempDir('gemstones-');
  const table = (values: Record<string, number[]>) =>
    Buffer.from(
      parquetWriteBuffer({
        columnData: [
          ...Object.entries(values).map(([name, data]) => ({ name, data, type: 'DOUBLE' as const })),
          { name: '__index_level_0__', data: LABELS, type: 'STRING' as const },
        ],
      }),
    );
  const scores = { 'arc:easy': [0.6, 0.4, 0.5], mmlu: [0.27, 0.25, 0.26] };
  writeFileSync(join(dir, 'light_eval_df.parquet'), table(scores));
  writeFileSync(join(dir, 'light_eval_df_err.parquet'), table({ 'arc:easy': scores['arc:easy'].map((p) => se(p, 1000)), mmlu: [0.0338, 0.0331, 0.0335] }));
  const steps = options.lossSteps ?? [10, 20, 30];
  for (const [file, offset] of [['fineweb_edu_losses_combined.jsonl', 0], ['fineweb_dclm_losses_combined.jsonl', 0.1]] as const) {
    const lines = steps.map((step) => JSON.stringify({ step, final_loss: 4 - step / 100 + offset, run_name: 'Gemstone-256x3', width: 256, depth: 3, tokens: step * 4_194_304, params_active_precise: 48_000_000 }));
    writeFileSync(join(dir, file), `${lines.reverse().join('\n')}\n`);
  }
  return dir;
}

describe('mcleish2025 importer', () => {
  afterAll(removeTempDirs);

  it('reads a parquet table with its pandas index as a column', async () => {
    const rows = await readParquetRows(join(writeRelease(), 'light_eval_df.parquet'));
    expect(rows.map((row) => row.__index_level_0__)).toEqual(LABELS);
    expect(rows.map((row) => row['arc:easy'])).toEqual([0.6, 0.4, 0.5]);
  });

  it('parses row labels of the final and intermediate checkpoints', () => {
    expect(parseRowLabel('Gemstone-1024x28-main')).toEqual({ run: 'Gemstone-1024x28', step: 'main' });
    expect(parseRowLabel('Gemstone-1024x28-step_00002385')).toEqual({ run: 'Gemstone-1024x28', step: 2385 });
    expect(() => parseRowLabel('Gemstone-1024-main')).toThrow(/is not Gemstone-<width>x<depth>-main or -step_<N>/);
  });

  it('joins scores and losses on (model, step), marks "main" as the last step and final, and recovers item counts', async () => {
    const study = await importMcleish2025(writeRelease());
    const csv = study.files['observations.csv'] as { header: string[]; rows: unknown[][] };
    expect(csv.header).toEqual(['model', 'corpus', 'run', 'step', 'final', 'params', 'tokens', 'loss:fineweb_edu', 'loss:dclm', 'task:arc_easy', 'task:mmlu']);
    expect(csv.rows.map((row) => [row[0], row[3], row[4], row[6], row[9]])).toEqual([
      ['Gemstone-256x3@10', 10, false, 41_943_040, 0.4],
      ['Gemstone-256x3@20', 20, false, 83_886_080, 0.5],
      ['Gemstone-256x3@30', 30, true, 125_829_120, 0.6],
    ]);
    expect(csv.rows[2]!.slice(7, 9)).toEqual([3.7, 3.8000000000000003]);
    const tasks = (study.metadata.observations as { tasks: { id: string; items?: number }[] }).tasks;
    expect(tasks.map((task) => [task.id, task.items])).toEqual([['arc_easy', 1000], ['mmlu', undefined]]);
  });

  it('refuses a score row without a held-out loss, naming the row', async () => {
    await expect(importMcleish2025(writeRelease({ lossSteps: [10, 30] }))).rejects.toThrow(/row Gemstone-256x3-step_00000020 has no held-out loss/);
  });
});
