/** A small NormalizedStudy built in memory from synthetic curves, for analyses with known answers. */
import type { StudyMetadata, TaskMetadata } from '../../pipeline/ingest/types.ts';
import { lossAxis, lossAxisId, type Dataset, type NormalizedStudy, type ObservationTable } from '../../pipeline/normalize/normalize.ts';
import { mulberry32 } from '../../pipeline/stats/random.ts';

export interface SyntheticTask {
  id: string;
  /** True task error as a function of the first validation set's loss. */
  truth: (x: number) => number;
  items: number;
}

/**
 * `n` models split across `corpora`; validation set `val_good` carries the loss the curves follow,
 * `val_shuffled` the same losses randomly reassigned to models (so no task follows it).
 */
export function syntheticStudy(tasks: SyntheticTask[], { n = 90, corpora = ['a', 'b'], seed = 1 } = {}): NormalizedStudy {
  const random = mulberry32(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const x = Float64Array.from({ length: n }, () => 2.4 + 3.6 * random());
  const shuffled = Float64Array.from(x);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const table: ObservationTable = {
    ids: Array.from({ length: n }, (_, i) => `m${i}`),
    corpus: Array.from({ length: n }, (_, i) => corpora[i % corpora.length]!),
    run: new Array(n).fill(null),
    step: new Array(n).fill(null),
    scale: new Map([['params', Float64Array.from({ length: n }, (_, i) => 1e7 * (1 + (i % 10)))]]),
    loss: new Map([
      ['val_good', x],
      ['val_shuffled', shuffled],
    ]),
    error: new Map(
      tasks.map((task) => [
        task.id,
        x.map((xi) => {
          const p = task.truth(xi);
          return Math.min(1, Math.max(0, p + Math.sqrt((p * (1 - p)) / task.items) * normal()));
        }),
      ]),
    ),
    axes: new Map(),
  };
  for (const [id, column] of table.loss) table.axes.set(lossAxisId(id), column);
  const taskMetadata: TaskMetadata[] = tasks.map((task) => ({ id: task.id, name: task.id, benchmark: task.id, shots: 0, items: task.items, chance: 0.25, metric: 'accuracy', unit: 'fraction', format: 'multiple choice' }));
  const validationSets = [
    { id: 'val_good', canonical: 'c4-validation', name: 'good' },
    { id: 'val_shuffled', canonical: 'paloma-ptb', name: 'shuffled' },
  ];
  const metadata = { schemaVersion: 1, id: 'synthetic', title: 'Synthetic', authors: ['Test'], year: 2025, venue: 'test' } as StudyMetadata;
  return {
    id: 'synthetic',
    metadata,
    tasks: taskMetadata,
    validationSets,
    corpora: corpora.map((id) => ({ id, name: id })),
    models: table,
    checkpoints: table,
    usable: table,
    axes: validationSets.map(lossAxis),
    files: [],
  };
}

export function datasetOf(...studies: NormalizedStudy[]): Dataset {
  return { studies, claimSets: [], vocabulary: { validationSets: [], benchmarks: [] }, benchmarkAliases: new Map(), validationAliases: new Map() };
}

export const predictableTruth = (x: number): number => 0.76 - 16.8 * Math.exp(-1.5 * x);
export const flatTruth = (): number => 0.5;
