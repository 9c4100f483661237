/** In-memory NormalizedStudy / Dataset builders for the analyses' tests: every column given explicitly. */
import type { StudyMetadata, TaskMetadata } from '../../pipeline/ingest/types.ts';
import { lossAxis, lossAxisId, type AliasEntry, type Dataset, type NormalizedStudy, type ObservationTable } from '../../pipeline/normalize/normalize.ts';
import { mulberry32 } from '../../pipeline/stats/random.ts';

/** A seeded standard normal source (Box–Muller over mulberry32). */
export function normalSource(seed: number): () => number {
  const random = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function uniformSource(seed: number): () => number {
  return mulberry32(seed);
}

export interface TaskSpec {
  id: string;
  benchmark?: string;
  shots?: number;
  items?: number;
  /** Error of each model (same order as the models). */
  error: ArrayLike<number>;
}

export interface StudySpec {
  id: string;
  corpus: string[];
  /** Loss per validation set id (canonical id in `canonical`, default: the id). */
  loss: Record<string, ArrayLike<number>>;
  canonical?: Record<string, string>;
  tasks: TaskSpec[];
  params?: ArrayLike<number>;
  harness?: { name: string; version?: string };
}

export function buildStudy(spec: StudySpec): NormalizedStudy {
  const n = spec.corpus.length;
  const table: ObservationTable = {
    ids: Array.from({ length: n }, (_, i) => `${spec.id}-m${i}`),
    corpus: [...spec.corpus],
    run: new Array(n).fill(null),
    step: new Array(n).fill(null),
    scale: new Map(spec.params ? [['params', Float64Array.from(spec.params)]] : []),
    loss: new Map(Object.entries(spec.loss).map(([id, values]) => [id, Float64Array.from(values)])),
    error: new Map(spec.tasks.map((t) => [t.id, Float64Array.from(t.error)])),
    axes: new Map(),
  };
  for (const [id, column] of table.loss) table.axes.set(lossAxisId(id), column);
  for (const [id, column] of [...table.loss, ...table.error]) if (column.length !== n) throw new Error(`test setup: ${id} has ${column.length} values, expected ${n}`);
  const tasks: TaskMetadata[] = spec.tasks.map((t) => ({
    id: t.id,
    name: t.id,
    benchmark: t.benchmark ?? t.id,
    shots: t.shots ?? 0,
    ...(t.items === undefined ? {} : { items: t.items }),
    chance: 0.25,
    metric: 'accuracy',
    unit: 'fraction',
    format: 'multiple choice',
  }));
  const corpora = [...new Set(spec.corpus)];
  const metadata = {
    schemaVersion: 1,
    id: spec.id,
    title: spec.id,
    authors: ['Test'],
    year: 2025,
    venue: 'test',
    ...(spec.harness ? { harness: spec.harness } : {}),
    observations: {
      file: 'observations.csv',
      level: 'model',
      corpora: corpora.map((id) => ({ id, name: id })),
      scaleVariables: spec.params ? [{ id: 'params', kind: 'parameters', unit: 'count' }] : [],
      validationSets: Object.keys(spec.loss).map((id) => ({ id, canonical: spec.canonical?.[id] ?? id, name: id })),
      tasks,
    },
  } as StudyMetadata;
  return {
    id: spec.id,
    metadata,
    tasks,
    validationSets: metadata.observations!.validationSets,
    corpora: corpora.map((id) => ({ id, name: id })),
    models: table,
    checkpoints: table,
    usable: table,
    axes: metadata.observations!.validationSets.map(lossAxis),
    files: [],
  };
}

export function buildDataset(...studies: NormalizedStudy[]): Dataset {
  const benchmarkAliases = new Map<string, AliasEntry[]>();
  const validationAliases = new Map<string, AliasEntry[]>();
  for (const study of studies) {
    for (const task of study.tasks) benchmarkAliases.set(task.benchmark, [...(benchmarkAliases.get(task.benchmark) ?? []), { study: study.id, id: task.id }]);
    for (const set of study.validationSets) validationAliases.set(set.canonical, [...(validationAliases.get(set.canonical) ?? []), { study: study.id, id: set.id }]);
  }
  return { studies: [...studies].sort((a, b) => a.id.localeCompare(b.id)), claimSets: [], vocabulary: { validationSets: [], benchmarks: [] }, benchmarkAliases, validationAliases };
}

/** The paper's saturating exponential in loss: error = ε − k·exp(−γ·x). */
export const curve =
  (epsilon = 0.9, k = 20, gamma = 1.5) =>
  (x: number): number =>
    epsilon - k * Math.exp(-gamma * x);
