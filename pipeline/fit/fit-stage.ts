/**
 * Stage 3, fit: for every study, on its headline x (see headlineAxis), fit every task with the
 * exponential (and the other shapes the rules need) and measure the curve's features. Other axes
 * (each validation loss, a declared derived axis) are fitted by the analyses that compare them
 * (sensitivity, cross-study), through fitCurveSet.
 *
 * A curve uses the study's usable rows (every model, or the checkpoints its rule allows) on which
 * both x and that task's error are known, so tasks evaluated on only some models are fitted on those
 * models. A curve with too few points, runs or distinct x values (config `sufficiency`) is not
 * fitted: it is listed with its reason as "insufficient data" and never classified or counted.
 */
import type { AnalysisConfig } from '../config/analysis-config.ts';
import type { TaskMetadata } from '../ingest/types.ts';
import { lossAxisId, type Dataset, type NormalizedStudy, type ObservationTable, type XAxis } from '../normalize/normalize.ts';
import { UserError } from '../util/errors.ts';
import { exponentialDomainProblem } from './exponential.ts';
import { analyseCurve, type CurveAnalysis, type FeatureOptions } from './features.ts';

/** The label of a task whose curve has too little data to be fitted (not one of the six behaviours). */
export const INSUFFICIENT_DATA = 'insufficient data';

export interface TaskCurve {
  task: TaskMetadata;
  analysis: CurveAnalysis;
  /** Points the curve was fitted on, and the distinct runs they come from. */
  nPoints: number;
  nRuns: number;
}

/** A task left unfitted, and why. */
export interface InsufficientTask {
  task: TaskMetadata;
  nPoints: number;
  nRuns: number;
  reason: string;
}

/** All task curves of one study against one x axis. */
export interface CurveSet {
  study: string;
  axis: XAxis;
  /** Usable rows with a known x, and the runs they come from. */
  n: number;
  nRuns: number;
  /** Fitted tasks, in the study's task order. */
  curves: TaskCurve[];
  /** Tasks below the sufficiency rule: not classified, not counted. */
  insufficient: InsufficientTask[];
}

export interface Sufficiency {
  minPoints: number;
  minRuns: number;
}

export function featureOptions(config: AnalysisConfig): FeatureOptions {
  return { bounds: config.fit.bounds, reversal: { bins: config.features.reversalBins, minPointsPerBin: config.features.minPointsPerBin } };
}

/**
 * The run of every row as a dense id (in order of first appearance). A row without a run (a
 * model-level study) is its own run, so resampling runs is resampling models there.
 */
export function runIds(table: ObservationTable): { ids: Int32Array; count: number } {
  const ids = new Int32Array(table.ids.length);
  const seen = new Map<string, number>();
  let count = 0;
  for (let i = 0; i < ids.length; i++) {
    const run = table.run[i];
    if (run === null || run === undefined) {
      ids[i] = count++;
      continue;
    }
    let id = seen.get(run);
    if (id === undefined) {
      id = count++;
      seen.set(run, id);
    }
    ids[i] = id;
  }
  return { ids, count };
}

/**
 * Why a curve cannot be fitted under `rule`, or undefined when it can. Points count only at distinct
 * x values: many models at two losses (a study of two sizes with x = log-params, say) give a curve
 * two places to pass through, which any three-parameter form does, so they are no more a scaling
 * trend than two points are. `distinctX` need only be counted up to `rule.minPoints` (see countDistinct).
 */
export function insufficiencyReason(nPoints: number, nRuns: number, distinctX: number, rule: Sufficiency): string | undefined {
  if (nPoints < rule.minPoints) return `${nPoints} points with x and error known; the rule needs at least ${rule.minPoints}`;
  if (nRuns < rule.minRuns) return `${nRuns} runs with x and error known; the rule needs at least ${rule.minRuns}`;
  if (distinctX <= 1) return 'x takes a single value on these points, so no curve can be fitted';
  if (distinctX < rule.minPoints) return `x takes only ${distinctX} distinct values on these ${nPoints} points; the rule needs at least ${rule.minPoints} (points at one x tell a curve's shape no more than their mean)`;
  return undefined;
}

/** How many distinct values `values` takes at the given indices, counting no further than `enough`. */
export function countDistinct(values: ArrayLike<number>, indices: Iterable<number>, enough: number): number {
  const seen = new Set<number>();
  for (const i of indices) {
    seen.add(values[i]!);
    if (seen.size >= enough) break;
  }
  return seen.size;
}

/** Fit every task of `study` on `axis`, over the rows of `table` (default: the usable rows). */
export function fitCurveSet(study: NormalizedStudy, axis: XAxis, config: AnalysisConfig, table: ObservationTable = study.usable): CurveSet {
  const x = table.axes.get(axis.id)!;
  const runs = runIds(table);
  const options = featureOptions(config);
  const stamp = new Int32Array(runs.count).fill(-1);
  let stampNow = 0;
  const countRuns = (rows: readonly number[]): number => {
    stampNow++;
    let distinct = 0;
    for (const i of rows) {
      const run = runs.ids[i]!;
      if (stamp[run] !== stampNow) {
        stamp[run] = stampNow;
        distinct++;
      }
    }
    return distinct;
  };
  const withX: number[] = [];
  let xMin = Infinity;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) continue;
    withX.push(i);
    xMin = Math.min(xMin, x[i]!);
  }
  // The configured bounds may not suit this x (a derived x far below 0 makes exp() overflow): say so, naming both.
  const outside = withX.length > 0 ? exponentialDomainProblem(xMin, config.fit.bounds) : undefined;
  if (outside) throw new UserError(`study ${study.id}, x ${axis.id}: cannot fit ε − k·exp(−γ·x) under the configured bounds (fit.bounds in the analysis configuration): ${outside}`);

  const curves: TaskCurve[] = [];
  const insufficient: InsufficientTask[] = [];
  for (const task of study.tasks) {
    const error = table.error.get(task.id)!;
    const rows = withX.filter((i) => Number.isFinite(error[i]!));
    const nRuns = countRuns(rows);
    const reason = insufficiencyReason(rows.length, nRuns, countDistinct(x, rows, config.sufficiency.minPoints), config.sufficiency);
    if (reason) {
      insufficient.push({ task, nPoints: rows.length, nRuns, reason });
      continue;
    }
    const xs = Float64Array.from(rows, (i) => x[i]!);
    const ys = Float64Array.from(rows, (i) => error[i]!);
    curves.push({ task, analysis: analyseCurve(xs, ys, task, options), nPoints: rows.length, nRuns });
  }
  return { study: study.id, axis, n: withX.length, nRuns: countRuns(withX), curves, insufficient };
}

/**
 * The x of a study's headline, first that exists: the validation set its published claims use, the
 * axis the study declares, the configured canonical validation set, the study's first axis.
 */
export function headlineAxis(dataset: Dataset, study: NormalizedStudy, config: AnalysisConfig): XAxis | undefined {
  const claimed = dataset.claimSets.find((c) => c.claims.about === study.id)?.claims.x;
  const byId = (id: string | undefined): XAxis | undefined => (id === undefined ? undefined : study.axes.find((axis) => axis.id === id));
  return (
    byId(claimed === undefined ? undefined : lossAxisId(claimed)) ??
    study.declaredAxis ??
    study.axes.find((axis) => axis.kind === 'loss' && axis.canonical === config.x.canonical) ??
    study.axes[0]
  );
}

export function fitStage(dataset: Dataset, config: AnalysisConfig, onProgress: (done: number, total: number) => void = () => {}): CurveSet[] {
  const sets: CurveSet[] = [];
  for (const study of dataset.studies) {
    const axis = headlineAxis(dataset, study, config);
    if (axis) sets.push(fitCurveSet(study, axis, config));
    onProgress(sets.length, dataset.studies.length);
  }
  return sets;
}
