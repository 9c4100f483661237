/**
 * outputs/points.csv: the points behind every headline curve (one row per study × task × model),
 * so the report draws its panels from outputs/ alone.
 */
import { join } from 'node:path';
import type { CurveSet } from './fit-stage.ts';
import type { Dataset } from '../normalize/normalize.ts';
import { round, writeCsvAtomic } from '../util/files.ts';

export function writePoints(outputsDir: string, dataset: Dataset, sets: readonly CurveSet[]): string {
  const header = ['study', 'x_set', 'task', 'model', 'corpus', 'params', 'tokens', 'x', 'error'];
  // Rows are produced and written in batches: a large registry's points do not fit in one string.
  function* rows(): Generator<(string | number | null)[]> {
    for (const set of sets) {
      const study = dataset.studies.find((s) => s.id === set.study)!;
      const table = study.models;
      const x = table.loss.get(set.x.id)!;
      const params = table.scale.get('params');
      const tokens = table.scale.get('tokens');
      const scale = (column: Float64Array | undefined, i: number): number | null => (column && Number.isFinite(column[i]!) ? column[i]! : null);
      for (const task of study.tasks) {
        const error = table.error.get(task.id)!;
        for (let i = 0; i < table.ids.length; i++) {
          yield [set.study, set.x.id, task.id, table.ids[i]!, table.corpus[i]!, scale(params, i), scale(tokens, i), round(x[i]!, 8), round(error[i]!, 8)];
        }
      }
    }
  }
  const path = join(outputsDir, 'points.csv');
  writeCsvAtomic(path, header, rows());
  return path;
}
