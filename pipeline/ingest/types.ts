/** TypeScript mirrors of schemas/*.schema.json (the schemas are the source of truth; keep these in step). */
export { BEHAVIOURS, type Behaviour } from '../config/behaviours.ts';
import type { Behaviour } from '../config/behaviours.ts';

export interface TaskMetadata {
  id: string;
  name: string;
  benchmark: string;
  shots: number;
  items?: number;
  /** null when the benchmark defines no chance level (e.g. open-ended generation). */
  chance: number | null;
  metric: 'accuracy' | 'exact match' | 'F1' | 'pass rate';
  unit: 'fraction';
  format: string;
  variant?: string;
}

/** How a study gives a validation-set column; normalize converts each to nats. */
export const LOSS_UNITS = ['nats per token', 'bits per byte', 'perplexity'] as const;
export type LossUnit = (typeof LOSS_UNITS)[number];

export interface ValidationSetMetadata {
  id: string;
  canonical: string;
  name: string;
  /** Omitted means nats per token. */
  unit?: LossUnit;
}

/** Which checkpoints of each run the curves use (level "checkpoint" only). */
export interface CheckpointRule {
  use: 'all' | 'final' | 'after-fraction';
  /** For 'after-fraction': checkpoints before this share of the run's final step are not used. */
  fraction?: number;
  why: string;
}

export const DERIVED_X_KINDS = ['log-compute', 'log-flops', 'log-tokens', 'log-params'] as const;
export type DerivedXKind = (typeof DERIVED_X_KINDS)[number];

/** A study's declared x, when it is not the configured default validation loss. */
export type DeclaredX = { kind: 'loss'; set: string; why: string } | { kind: DerivedXKind; why: string };

export interface ScaleVariableMetadata {
  id: string;
  kind: 'parameters' | 'tokens' | 'flops' | 'step';
  unit: 'count' | 'gigaflops' | 'flops';
}

export interface ObservationsMetadata {
  file: string;
  level: 'model' | 'checkpoint';
  checkpoints?: CheckpointRule;
  corpora: { id: string; name: string }[];
  scaleVariables: ScaleVariableMetadata[];
  validationSets: ValidationSetMetadata[];
  x?: DeclaredX;
  tasks: TaskMetadata[];
  excludedTasks?: { id: string; reason: string }[];
  notes?: string[];
}

export interface StudyMetadata {
  schemaVersion: 1;
  id: string;
  title: string;
  authors: string[];
  year: number;
  venue: string;
  doi?: string;
  arxiv?: string;
  provenance: { repository: string; commit: string; files: string[]; licence: string; importer: string; derivation: string };
  harness?: { name: string; version?: string };
  observations?: ObservationsMetadata;
  claims?: { file: string };
}

export interface Claims {
  about: string;
  x: string;
  fit: { form: 'exponential'; bounds: { epsilon: [number, number]; logK: [number, number]; gamma: [number, number] } };
  headline: { behaviour: Behaviour; count: number; total: number };
  labels: { task: string; behaviour: Behaviour }[];
}

export interface VocabularyEntry {
  id: string;
  name: string;
  /** Names the entry goes by in source releases (importers map them to the id). */
  aliases?: string[];
}

export interface Vocabulary {
  validationSets: VocabularyEntry[];
  benchmarks: VocabularyEntry[];
}

/**
 * The rows of an observations file as read from the CSV, before normalization, column by column
 * (entry i of every array is row i), so that a file of millions of rows costs a few numbers per cell
 * rather than an object per row. NaN marks an empty cell: a scale value not given, a loss or a task
 * not evaluated. Losses are in the study's own unit.
 */
export interface ObservationColumns {
  length: number;
  model: string[];
  corpus: string[];
  /** Level "checkpoint" only. */
  run?: string[];
  step?: number[];
  final?: boolean[];
  /** By scale variable id, validation set id and task id (accuracy as given, a fraction). */
  scale: Map<string, number[]>;
  losses: Map<string, number[]>;
  accuracies: Map<string, number[]>;
}

/** A study that passed every check, with its files and where they live. */
export interface IngestedStudy {
  id: string;
  dir: string;
  metadata: StudyMetadata;
  observations?: ObservationColumns;
  /** Rows and non-empty task cells of the observations file (also when the rows were not kept). */
  counts?: { rows: number; taskValues: number };
  claims?: Claims;
  /** Files the study consists of, relative to the registry root (for provenance hashes). */
  files: string[];
}
