/**
 * Stage 2, normalize: turn ingested studies into one typed, columnar dataset.
 * - task error = 1 − accuracy (the quantity every scaling law here predicts);
 * - validation sets and tasks carry canonical ids, so studies can be compared (see aliases below);
 * - every loss is in nats (bits per byte and perplexity are converted by the rules in lossInNats);
 * - checkpoint-level studies keep every checkpoint, mark the ones their declared rule lets curves
 *   use, and expose their final checkpoints as the models;
 * - every x a curve can use (each validation loss, and the log-scale axes a study declares) is an
 *   XAxis with its values in every table.
 * A cell that was not evaluated (empty in the CSV) is NaN here.
 */
import type { CheckpointRule, Claims, DerivedXKind, IngestedStudy, LossUnit, ObservationColumns, ObservationsMetadata, StudyMetadata, TaskMetadata, ValidationSetMetadata, Vocabulary } from '../ingest/types.ts';

/** Column-oriented observations: entry i of every array belongs to row i. */
export interface ObservationTable {
  ids: string[];
  corpus: string[];
  run: (string | null)[];
  step: (number | null)[];
  /** Scale variables by id (params, tokens, flops…); NaN where the study gives no value. */
  scale: Map<string, Float64Array>;
  /** Validation loss in nats by the study's validation set id; NaN where not evaluated. */
  loss: Map<string, Float64Array>;
  /** Task error (1 − score) by task id; NaN where not evaluated. */
  error: Map<string, Float64Array>;
  /** x values by XAxis id (the loss arrays themselves for loss axes); NaN where unknown. */
  axes: Map<string, Float64Array>;
}

/**
 * One x a study's curves can use. Derived axes are ln(reference / a scale quantity), so that, like
 * a loss, x falls as scale grows and the paper's form ε − k·exp(−γ·x) applies unchanged.
 */
export interface XAxis {
  /** 'loss:<validation set id>' or the derived kind ('log-compute', …); unique within a study. */
  id: string;
  kind: 'loss' | DerivedXKind;
  /** The validation set, for kind 'loss'. */
  set?: ValidationSetMetadata;
  /** Shared across studies: the set's canonical id, or the derived kind. */
  canonical: string;
  /** Unit of x after conversion, e.g. "nats per token". */
  unit: string;
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
  /** The rows curves are fitted on: every model, or the checkpoints the study's rule marks usable. */
  usable: ObservationTable;
  /** The study's rule for usable checkpoints (level "checkpoint" only). */
  checkpointRule?: CheckpointRule;
  /** Every x the study's curves can use: each validation set, then the declared derived axis. */
  axes: XAxis[];
  /** The x the study declares for its curves, when it declares one. */
  declaredAxis?: XAxis;
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
    const axes = studyAxes(declared);
    const columns = study.observations;
    const every = Array.from({ length: columns.length }, (_, i) => i);
    const checkpoints = toTable(columns, every, declared, axes);
    const isCheckpointLevel = declared.level === 'checkpoint';
    const models = isCheckpointLevel ? toTable(columns, every.filter((i) => columns.final![i]), declared, axes) : checkpoints;
    const usable = isCheckpointLevel ? toTable(columns, usableCheckpoints(columns, every, declared.checkpoints!), declared, axes) : checkpoints;
    const declaredAxis = declared.x ? axes.find((axis) => axis.id === (declared.x!.kind === 'loss' ? lossAxisId(declared.x!.set) : declared.x!.kind)) : undefined;
    normalized.push({
      id: study.id,
      metadata: study.metadata,
      tasks: declared.tasks,
      validationSets: declared.validationSets,
      corpora: declared.corpora,
      models,
      checkpoints,
      usable,
      ...(isCheckpointLevel ? { checkpointRule: declared.checkpoints! } : {}),
      axes,
      ...(declaredAxis ? { declaredAxis } : {}),
      files: study.files,
    });
    for (const task of declared.tasks) addAlias(benchmarkAliases, task.benchmark, { study: study.id, id: task.id });
    for (const set of declared.validationSets) addAlias(validationAliases, set.canonical, { study: study.id, id: set.id });
  }
  return { studies: normalized, claimSets, vocabulary, benchmarkAliases, validationAliases };
}

/** Losses in nats: bits per byte × ln 2 is nats per byte; ln(perplexity) is nats per token. */
export function lossInNats(value: number, unit: LossUnit = 'nats per token'): number {
  switch (unit) {
    case 'nats per token':
      return value;
    case 'bits per byte':
      return value * Math.LN2;
    case 'perplexity':
      return Math.log(value);
  }
}

/** The unit a loss has once lossInNats has converted it. */
export function natsUnit(unit: LossUnit = 'nats per token'): string {
  return unit === 'bits per byte' ? 'nats per byte' : 'nats per token';
}

export function lossAxisId(setId: string): string {
  return `loss:${setId}`;
}

export function lossAxis(set: ValidationSetMetadata): XAxis {
  return { id: lossAxisId(set.id), kind: 'loss', set, canonical: set.canonical, unit: natsUnit(set.unit) };
}

function studyAxes(declared: ObservationsMetadata): XAxis[] {
  const axes: XAxis[] = declared.validationSets.map(lossAxis);
  const x = declared.x;
  if (x && x.kind !== 'loss') axes.push({ id: x.kind, kind: x.kind, canonical: x.kind, unit: DERIVED_AXES[x.kind].unit });
  return axes;
}

/**
 * Derived axes are x = ln(reference / quantity): like a loss, x falls as scale grows. The fixed
 * references (above any model in the registry) keep x positive and of the size of a loss, so the
 * paper's bounds on ln k and γ apply unchanged; a different constant only rescales k.
 */
export const DERIVED_AXES: Record<DerivedXKind, { reference: number; unit: string }> = {
  'log-compute': { reference: 1e26, unit: 'ln(10^26 / (6·N·D)), N parameters, D training tokens' },
  'log-flops': { reference: 1e26, unit: 'ln(10^26 / training FLOPs)' },
  'log-tokens': { reference: 1e14, unit: 'ln(10^14 / training tokens)' },
  'log-params': { reference: 1e13, unit: 'ln(10^13 / parameters)' },
};

/** The scale quantity (in counts or FLOPs) behind each derived axis; NaN when a value is missing. */
function derivedQuantity(kind: DerivedXKind, declared: ObservationsMetadata, columns: ObservationColumns, row: number): number {
  const value = (variableKind: string): number => {
    const variable = declared.scaleVariables.find((v) => v.kind === variableKind)!;
    const raw = columns.scale.get(variable.id)![row]!;
    return variable.unit === 'gigaflops' ? raw * 1e9 : raw;
  };
  switch (kind) {
    case 'log-compute':
      return 6 * value('parameters') * value('tokens');
    case 'log-flops':
      return value('flops');
    case 'log-tokens':
      return value('tokens');
    case 'log-params':
      return value('parameters');
  }
}

function derivedX(kind: DerivedXKind, declared: ObservationsMetadata, columns: ObservationColumns, row: number): number {
  return Math.log(DERIVED_AXES[kind].reference / derivedQuantity(kind, declared, columns, row));
}

/** Checkpoints (of `rows`) the rule lets curves use; a run's final checkpoint is always usable. */
function usableCheckpoints(columns: ObservationColumns, rows: number[], rule: CheckpointRule): number[] {
  const { run, step, final } = columns as Required<ObservationColumns>;
  if (rule.use === 'all') return rows;
  if (rule.use === 'final') return rows.filter((i) => final[i]);
  const finalStep = new Map<string, number>();
  for (const i of rows) if (final[i]) finalStep.set(run[i]!, step[i]!);
  return rows.filter((i) => final[i] || step[i]! >= rule.fraction! * (finalStep.get(run[i]!) ?? Number.POSITIVE_INFINITY));
}

/** The table of the given rows of `columns`, in their order. */
function toTable(columns: ObservationColumns, rows: number[], declared: ObservationsMetadata, axes: readonly XAxis[]): ObservationTable {
  const column = (read: (row: number) => number): Float64Array => Float64Array.from(rows, read);
  const loss = new Map(
    declared.validationSets.map((set) => {
      const given = columns.losses.get(set.id)!;
      return [set.id, column((i) => lossInNats(given[i]!, set.unit))];
    }),
  );
  return {
    ids: rows.map((i) => columns.model[i]!),
    corpus: rows.map((i) => columns.corpus[i]!),
    run: rows.map((i) => columns.run?.[i] ?? null),
    step: rows.map((i) => columns.step?.[i] ?? null),
    scale: new Map(declared.scaleVariables.map((v) => [v.id, Float64Array.from(rows, (i) => columns.scale.get(v.id)![i]!)])),
    loss,
    error: new Map(
      declared.tasks.map((task) => {
        const accuracy = columns.accuracies.get(task.id)!;
        return [task.id, column((i) => 1 - accuracy[i]!)];
      }),
    ),
    axes: new Map(
      axes.map((axis) => [axis.id, axis.kind === 'loss' ? loss.get(axis.set!.id)! : column((i) => derivedX(axis.kind as DerivedXKind, declared, columns, i))]),
    ),
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
