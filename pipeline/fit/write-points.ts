/**
 * outputs/points.csv: the points behind every headline curve (one row per study × task × point),
 * so the report draws its panels from outputs/ alone. A curve fitted on more than
 * MAX_POINTS_PER_CURVE points (many checkpoints) is thinned for drawing: points evenly spaced in
 * x order, always the first and last; `points_in_fit` says how many the fit used.
 */
import { join } from 'node:path';
import type { CurveSet } from './fit-stage.ts';
import type { Dataset } from '../normalize/normalize.ts';
import { round, writeCsvAtomic } from '../util/files.ts';
import { sortOrder } from './features.ts';

export const MAX_POINTS_PER_CURVE = 300;

export function writePoints(outputsDir: string, dataset: Dataset, sets: readonly CurveSet[]): string {
  const header = ['study', 'x_set', 'task', 'model', 'corpus', 'params', 'tokens', 'x', 'error', 'run', 'step', 'points_in_fit'];
  // Rows are produced and written in batches: a large registry's points do not fit in one string.
  function* rows(): Generator<(string | number | null)[]> {
    for (const set of sets) {
      const study = dataset.studies.find((s) => s.id === set.study)!;
      const table = study.usable;
      const x = table.axes.get(set.axis.id)!;
      const params = table.scale.get('params');
      const tokens = table.scale.get('tokens');
      const scale = (column: Float64Array | undefined, i: number): number | null => (column && Number.isFinite(column[i]!) ? column[i]! : null);
      const xSet = set.axis.set?.id ?? set.axis.id;
      for (const { task } of set.curves) {
        const error = table.error.get(task.id)!;
        const known: number[] = [];
        for (let i = 0; i < table.ids.length; i++) if (Number.isFinite(x[i]!) && Number.isFinite(error[i]!)) known.push(i);
        for (const i of thinned(known, x)) {
          yield [set.study, xSet, task.id, table.ids[i]!, table.corpus[i]!, scale(params, i), scale(tokens, i), round(x[i]!, 8), round(error[i]!, 8), table.run[i] ?? null, table.step[i] ?? null, known.length];
        }
      }
    }
  }
  const path = join(outputsDir, 'points.csv');
  writeCsvAtomic(path, header, rows());
  return path;
}

/** At most MAX_POINTS_PER_CURVE of `rows`, evenly spaced in x order, kept in their row order. */
export function thinned(rows: readonly number[], x: Float64Array): readonly number[] {
  if (rows.length <= MAX_POINTS_PER_CURVE) return rows;
  const order = sortOrder(Float64Array.from(rows, (i) => x[i]!));
  const keep = new Set<number>();
  for (let k = 0; k < MAX_POINTS_PER_CURVE; k++) keep.add(rows[order[Math.round((k * (rows.length - 1)) / (MAX_POINTS_PER_CURVE - 1))]!]!);
  return rows.filter((i) => keep.has(i));
}
