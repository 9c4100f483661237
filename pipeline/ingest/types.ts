/** TypeScript mirrors of schemas/*.schema.json (the schemas are the source of truth; keep these in step). */
export const BEHAVIOURS = ['predictable', 'breakthrough', 'inverse', 'nonmonotonic', 'noisy', 'trendless'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

export interface TaskMetadata {
  id: string;
  name: string;
  benchmark: string;
  shots: number;
  items?: number;
  chance: number;
  metric: 'accuracy';
  unit: 'fraction';
  format: string;
  variant?: string;
}

export interface ValidationSetMetadata {
  id: string;
  canonical: string;
  name: string;
}

export interface ScaleVariableMetadata {
  id: string;
  kind: 'parameters' | 'tokens' | 'flops' | 'step';
  unit: 'count' | 'gigaflops' | 'flops';
}

export interface ObservationsMetadata {
  file: string;
  level: 'model' | 'checkpoint';
  corpora: { id: string; name: string }[];
  scaleVariables: ScaleVariableMetadata[];
  validationSets: ValidationSetMetadata[];
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

export interface Vocabulary {
  validationSets: { id: string; name: string }[];
  benchmarks: { id: string; name: string }[];
}

/** One observation row as read from the CSV, before normalization. Missing scale values are null. */
export interface ObservationRow {
  model: string;
  corpus: string;
  run?: string;
  step?: number;
  final?: boolean;
  scale: Map<string, number | null>;
  losses: Map<string, number>;
  accuracies: Map<string, number>;
}

/** A study that passed every check, with its files and where they live. */
export interface IngestedStudy {
  id: string;
  dir: string;
  metadata: StudyMetadata;
  observations?: ObservationRow[];
  claims?: Claims;
  /** Files the study consists of, relative to the registry root (for provenance hashes). */
  files: string[];
}
