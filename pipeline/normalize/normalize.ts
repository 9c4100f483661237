/**
 * Stage 2, normalize: turn ingested studies into one typed, columnar dataset.
 * - task error = 1 − accuracy (the quantity every scaling law here predicts);
 * - validation sets and tasks carry canonical ids, so studies can be compared (see aliases below);
 * - checkpoint-level studies keep every checkpoint, and expose their final checkpoints as the models.
 */
import type { Claims, IngestedStudy, ObservationRow, StudyMetadata, TaskMetadata, ValidationSetMetadata, Vocabulary } from '../ingest/types.ts';

/** Column-oriented observations: entry i of every array belongs to row i. */
export interface ObservationTable {
  ids: string[];
  corpus: string[];
  run: (string | null)[];
  step: (number | null)[];
  /** Scale variables by id (params, tokens, flops…); NaN where the study gives no value. */
  scale: Map<string, Float64Array>;
  /** Validation loss by the study's validation set id. */
  loss: Map<string, Float64Array>;
  /** Task error (1 − accuracy) by task id. */
  error: Map<string, Float64Array>;
}

export interface NormalizedStudy {
  id: string;
  metadata: StudyMetadata;
  tasks: TaskMetadata[];
  validationSets: ValidationSetMetadata[];
  corpora: { id: string; name: string }[];
  /** One row per final model: what per-model analyses use. */
  models: ObservationTable;
  /** Every row, including intermediate checkpoints (equal to models for model-level studies). */
  checkpoints: ObservationTable;
  files: string[];
}

export interface ClaimSet {
  id: string;
  metadata: StudyMetadata;
  claims: Claims;
  files: string[];
}

/** Where one benchmark or validation set appears: (study, its local id). */
export interface AliasEntry {
  study: string;
  id: string;
}

export interface Dataset {
  studies: NormalizedStudy[];
  claimSets: ClaimSet[];
  vocabulary: Vocabulary;
  /** canonical benchmark id → tasks measuring it, across studies. */
  benchmarkAliases: Map<string, AliasEntry[]>;
  /** canonical validation set id → validation sets holding it, across studies. */
  validationAliases: Map<string, AliasEntry[]>;
}

export function normalize(studies: IngestedStudy[], vocabulary: Vocabulary): Dataset {
  const normalized: NormalizedStudy[] = [];
  const claimSets: ClaimSet[] = [];
  const benchmarkAliases = new Map<string, AliasEntry[]>();
  const validationAliases = new Map<string, AliasEntry[]>();
  const addAlias = (table: Map<string, AliasEntry[]>, key: string, entry: AliasEntry): void => {
    const list = table.get(key) ?? [];
    list.push(entry);
    table.set(key, list);
  };

  for (const study of [...studies].sort((a, b) => a.id.localeCompare(b.id))) {
    if (study.claims) claimSets.push({ id: study.id, metadata: study.metadata, claims: study.claims, files: study.files });
    const declared = study.metadata.observations;
    if (!declared || !study.observations) continue;
    const checkpoints = toTable(study.observations, declared.scaleVariables.map((v) => v.id), declared.validationSets.map((v) => v.id), declared.tasks.map((t) => t.id));
    const finalRows = declared.level === 'checkpoint' ? study.observations.filter((row) => row.final) : study.observations;
    const models = declared.level === 'checkpoint' ? toTable(finalRows, [...checkpoints.scale.keys()], [...checkpoints.loss.keys()], [...checkpoints.error.keys()]) : checkpoints;
    normalized.push({
      id: study.id,
      metadata: study.metadata,
      tasks: declared.tasks,
      validationSets: declared.validationSets,
      corpora: declared.corpora,
      models,
      checkpoints,
      files: study.files,
    });
    for (const task of declared.tasks) addAlias(benchmarkAliases, task.benchmark, { study: study.id, id: task.id });
    for (const set of declared.validationSets) addAlias(validationAliases, set.canonical, { study: study.id, id: set.id });
  }
  return { studies: normalized, claimSets, vocabulary, benchmarkAliases, validationAliases };
}

function toTable(rows: ObservationRow[], scaleIds: string[], lossIds: string[], taskIds: string[]): ObservationTable {
  const column = (read: (row: ObservationRow) => number): Float64Array => Float64Array.from(rows, read);
  return {
    ids: rows.map((row) => row.model),
    corpus: rows.map((row) => row.corpus),
    run: rows.map((row) => row.run ?? null),
    step: rows.map((row) => row.step ?? null),
    scale: new Map(scaleIds.map((id) => [id, column((row) => row.scale.get(id) ?? Number.NaN)])),
    loss: new Map(lossIds.map((id) => [id, column((row) => row.losses.get(id)!)])),
    error: new Map(taskIds.map((id) => [id, column((row) => 1 - row.accuracies.get(id)!)])),
  };
}

/** The study a claim set is about, or undefined when it is not in the dataset. */
export function studyById(dataset: Dataset, id: string): NormalizedStudy | undefined {
  return dataset.studies.find((study) => study.id === id);
}

/** A validation set of `study` by canonical id (e.g. every study's C4 validation loss). */
export function validationSetByCanonical(study: NormalizedStudy, canonical: string): ValidationSetMetadata | undefined {
  return study.validationSets.find((set) => set.canonical === canonical);
}
