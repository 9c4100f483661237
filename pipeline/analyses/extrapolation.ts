/**
 * Extrapolation: does a task the rules call predictable also predict larger models?
 *
 * For each study, on its headline x (see headlineAxis), the final models are split
 * once for all tasks: when every model's parameter count is known, models below 1e9 parameters
 * train and the rest are held out; otherwise (or when that leaves fewer than `minTrain` models to
 * train on or none to test) the 80% of models with the highest loss train and the 20% with the
 * lowest loss are held out. Each task's exponential is fitted on the training models only and
 * predicts the held-out ones. Errors are measured against the per-point sampling noise: binomial
 * sqrt(p(1−p)/items) over the held-out points when the task's item count is known, else the
 * first-difference estimate over all models sorted by loss (pipeline/stats/noise.ts).
 * The behaviour column is the task's classification on all final models (for a study fitted on
 * checkpoints this can differ from its headline label). A study whose final models lack x, or a task
 * not evaluated on every final model, is left out of this analysis.
 */
import { join } from 'node:path';
import type { AnalysisConfig } from '../config/analysis-config.ts';
import { sortOrder } from '../fit/features.ts';
import { classify } from '../classify/rules.ts';
import { fitExponential, predictExponential } from '../fit/exponential.ts';
import { fitCurveSet, headlineAxis } from '../fit/fit-stage.ts';
import { BEHAVIOURS, type Behaviour } from '../ingest/types.ts';
import type { Dataset, NormalizedStudy } from '../normalize/normalize.ts';
import { sampleNoise } from '../stats/noise.ts';
import { formatCsv, round, writeFileAtomic } from '../util/files.ts';
import { pCell, statCell } from './common.ts';
import { mannWhitneyU, median, type MannWhitneyResult } from './statistics.ts';

export interface ExtrapolationOptions {
  /** Models with fewer parameters than this train; the rest are held out. */
  paramsThreshold: number;
  /** Share of models (highest loss first) that train when parameters cannot split. */
  trainShare: number;
  /** Fewest training models a split may leave (the fit needs three). */
  minTrain: number;
}

export const DEFAULT_EXTRAPOLATION_OPTIONS: ExtrapolationOptions = Object.freeze({ paramsThreshold: 1e9, trainShare: 0.8, minTrain: 5 });

export interface Split {
  rule: string;
  train: number[];
  test: number[];
}

export interface ExtrapolationRow {
  study: string;
  task: string;
  xSet: string;
  split: string;
  behaviour: Behaviour;
  nTrain: number;
  nTest: number;
  /** Root mean square of (predicted − observed) error over the held-out models. */
  rmse: number;
  noise: number;
  rmseOverNoise: number;
  meanAbsError: number;
  /** Mean of (predicted − observed): positive when the fit predicts more error than the big models show. */
  bias: number;
  withinTwoNoiseShare: number;
  /** RMSE of the training fit on its own (training) models: the scatter the curve leaves in sample (floored at 1e-9). */
  trainRmse: number;
  /** Held-out RMSE over training RMSE: about 1 when the held-out models scatter around the extrapolated curve as the training ones do around the fit. */
  rmseOverTrainRmse: number;
  /** Share of held-out models with loss below every training model's (true extrapolation). */
  beyondRangeShare: number;
  /** The largest |predicted − observed| over the held-out models (task error units: 0.06 = 6 accuracy points). */
  maxAbsError: number;
}

/**
 * Do the tasks of one behaviour extrapolate better than the others of the SAME study? Pooling
 * studies would compare different models, splits and task sets; so comparisons stay within a study.
 */
export interface ExtrapolationComparison extends MannWhitneyResult {
  study: string;
  /** Always 'predictable'. */
  groupA: Behaviour;
  /** 'rest' (every other task of the study) or one other behaviour. */
  groupB: Behaviour | 'rest';
  nA: number;
  nB: number;
  medianA: number;
  medianB: number;
}

export interface BehaviourSummary {
  study: string;
  behaviour: Behaviour;
  tasks: number;
  medianRmseOverNoise: number;
  medianWithinTwoNoiseShare: number;
  medianRmseOverTrainRmse: number;
}

export interface ExtrapolationResult {
  options: ExtrapolationOptions;
  rows: ExtrapolationRow[];
  /** Per study and pooled over studies (study = 'all'), per behaviour with at least one task. */
  summary: BehaviourSummary[];
  /** Within each study: predictable against the rest and against each other behaviour, by RMSE over noise. */
  comparisons: ExtrapolationComparison[];
}

/** The parameter counts of a study's models when every model has one. */
function knownParams(study: NormalizedStudy): Float64Array | undefined {
  const variables = study.metadata.observations?.scaleVariables ?? [];
  const id = variables.find((v) => v.kind === 'parameters')?.id ?? (study.models.scale.has('params') ? 'params' : undefined);
  const column = id === undefined ? undefined : study.models.scale.get(id);
  if (!column || column.length === 0) return undefined;
  return column.every((v) => Number.isFinite(v) && v > 0) ? column : undefined;
}

/** Which models train and which are held out (indices into study.models). */
export function splitModels(study: NormalizedStudy, x: ArrayLike<number>, options: ExtrapolationOptions = DEFAULT_EXTRAPOLATION_OPTIONS): Split {
  const n = x.length;
  const params = knownParams(study);
  if (params) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (params[i]! < options.paramsThreshold ? train : test).push(i);
    if (train.length >= options.minTrain && test.length > 0) return { rule: `params < ${options.paramsThreshold.toExponential().replace('+', '')}`, train, test };
  }
  const byLossDescending = Array.from(sortOrder(x)).reverse();
  const nTrain = Math.min(n - 1, Math.max(options.minTrain, Math.round(options.trainShare * n)));
  return { rule: `highest-loss ${Math.round(100 * options.trainShare)}%`, train: byLossDescending.slice(0, nTrain).sort((a, b) => a - b), test: byLossDescending.slice(nTrain).sort((a, b) => a - b) };
}

export function extrapolation(dataset: Dataset, config: AnalysisConfig, options: ExtrapolationOptions = DEFAULT_EXTRAPOLATION_OPTIONS): ExtrapolationResult {
  const rows: ExtrapolationRow[] = [];
  for (const study of dataset.studies) {
    const axis = headlineAxis(dataset, study, config);
    if (!axis) continue;
    const table = study.models;
    const x = table.axes.get(axis.id)!;
    // Final models only, every one with a known x and error: other studies and tasks are left out here.
    if (x.length < options.minTrain + 1 || x.some((v) => !Number.isFinite(v))) continue;
    const split = splitModels(study, x, options);
    const set = fitCurveSet(study, axis, config, table);
    const xTrain = Float64Array.from(split.train, (i) => x[i]!);
    let trainMin = Infinity;
    for (const v of xTrain) trainMin = Math.min(trainMin, v);
    const order = sortOrder(x);
    set.curves.forEach((curve) => {
      const task = curve.task;
      const y = table.error.get(task.id)!;
      if (y.some((v) => Number.isNaN(v))) return;
      const fit = fitExponential(xTrain, Float64Array.from(split.train, (i) => y[i]!), config.fit.bounds);
      const residuals = split.test.map((i) => predictExponential(fit, x[i]!) - y[i]!);
      const yTest = Float64Array.from(split.test, (i) => y[i]!);
      // Binomial noise of the held-out points; without an item count, the scatter along the whole curve.
      const noise = task.items ? sampleNoise(yTest, task.items) : sampleNoise(Float64Array.from(order, (i) => y[i]!));
      const rmse = Math.sqrt(residuals.reduce((s, r) => s + r * r, 0) / residuals.length);
      const trainRmse = Math.max(Math.sqrt(fit.sse / split.train.length), 1e-9);
      rows.push({
        study: study.id,
        task: task.id,
        xSet: axis.set?.id ?? axis.id,
        split: split.rule,
        behaviour: classify(curve.analysis.features, config.rules).behaviour,
        nTrain: split.train.length,
        nTest: split.test.length,
        rmse,
        noise,
        rmseOverNoise: rmse / noise,
        meanAbsError: residuals.reduce((s, r) => s + Math.abs(r), 0) / residuals.length,
        bias: residuals.reduce((s, r) => s + r, 0) / residuals.length,
        withinTwoNoiseShare: residuals.filter((r) => Math.abs(r) <= 2 * noise).length / residuals.length,
        trainRmse,
        rmseOverTrainRmse: rmse / trainRmse,
        beyondRangeShare: split.test.filter((i) => x[i]! < trainMin).length / split.test.length,
        maxAbsError: residuals.reduce((max, r) => Math.max(max, Math.abs(r)), 0),
      });
    });
  }
  return { options, rows, summary: summarise(rows), comparisons: compareWithinStudies(rows) };
}

/** Mann–Whitney tests of RMSE over noise, predictable tasks against the others, within each study. */
export function compareWithinStudies(rows: readonly ExtrapolationRow[]): ExtrapolationComparison[] {
  const comparisons: ExtrapolationComparison[] = [];
  for (const study of [...new Set(rows.map((r) => r.study))]) {
    const inStudy = rows.filter((r) => r.study === study);
    const predictable = inStudy.filter((r) => r.behaviour === 'predictable').map((r) => r.rmseOverNoise);
    if (predictable.length === 0) continue;
    const groups: [Behaviour | 'rest', number[]][] = [['rest', inStudy.filter((r) => r.behaviour !== 'predictable').map((r) => r.rmseOverNoise)]];
    for (const behaviour of BEHAVIOURS) if (behaviour !== 'predictable') groups.push([behaviour, inStudy.filter((r) => r.behaviour === behaviour).map((r) => r.rmseOverNoise)]);
    for (const [groupB, values] of groups) {
      if (values.length === 0) continue;
      comparisons.push({ study, groupA: 'predictable', groupB, nA: predictable.length, nB: values.length, medianA: median(predictable), medianB: median(values), ...mannWhitneyU(predictable, values) });
    }
  }
  return comparisons;
}

export function summarise(rows: readonly ExtrapolationRow[]): BehaviourSummary[] {
  const summary: BehaviourSummary[] = [];
  const studies = [...new Set(rows.map((r) => r.study))];
  for (const study of [...studies, 'all']) {
    for (const behaviour of BEHAVIOURS) {
      const group = rows.filter((r) => (study === 'all' || r.study === study) && r.behaviour === behaviour);
      if (group.length === 0) continue;
      summary.push({
        study,
        behaviour,
        tasks: group.length,
        medianRmseOverNoise: median(group.map((r) => r.rmseOverNoise)),
        medianWithinTwoNoiseShare: median(group.map((r) => r.withinTwoNoiseShare)),
        medianRmseOverTrainRmse: median(group.map((r) => r.rmseOverTrainRmse)),
      });
    }
  }
  return summary;
}

export const EXTRAPOLATION_FILES = { rows: 'extrapolation.csv', summary: 'extrapolation-summary.csv', tests: 'extrapolation-tests.csv' } as const;

/** outputs/extrapolation.csv and outputs/extrapolation-summary.csv. */
export function writeExtrapolation(outputsDir: string, result: ExtrapolationResult): string[] {
  const rowsPath = join(outputsDir, EXTRAPOLATION_FILES.rows);
  writeFileAtomic(
    rowsPath,
    formatCsv(
      ['study', 'task', 'behaviour', 'n_train', 'n_test', 'rmse', 'noise', 'rmse_over_noise', 'mean_abs_error', 'within_2_noise_share', 'bias', 'train_rmse', 'rmse_over_train_rmse', 'beyond_range_share', 'x_set', 'split', 'max_abs_error'],
      result.rows.map((r) => [
        r.study,
        r.task,
        r.behaviour,
        r.nTrain,
        r.nTest,
        statCell(r.rmse),
        statCell(r.noise),
        statCell(r.rmseOverNoise, 4),
        statCell(r.meanAbsError),
        round(r.withinTwoNoiseShare, 4),
        statCell(r.bias),
        statCell(r.trainRmse),
        statCell(r.rmseOverTrainRmse, 4),
        round(r.beyondRangeShare, 4),
        r.xSet,
        r.split,
        statCell(r.maxAbsError),
      ]),
    ),
  );
  const summaryPath = join(outputsDir, EXTRAPOLATION_FILES.summary);
  writeFileAtomic(
    summaryPath,
    formatCsv(
      ['study', 'behaviour', 'tasks', 'median_rmse_over_noise', 'median_within_2_noise_share', 'median_rmse_over_train_rmse'],
      result.summary.map((s) => [s.study, s.behaviour, s.tasks, statCell(s.medianRmseOverNoise, 4), round(s.medianWithinTwoNoiseShare, 4), statCell(s.medianRmseOverTrainRmse, 4)]),
    ),
  );
  const testsPath = join(outputsDir, EXTRAPOLATION_FILES.tests);
  writeFileAtomic(
    testsPath,
    formatCsv(
      ['study', 'group_a', 'group_b', 'n_a', 'n_b', 'median_rmse_over_noise_a', 'median_rmse_over_noise_b', 'u', 'p_value', 'method'],
      result.comparisons.map((c) => [c.study, c.groupA, c.groupB, c.nA, c.nB, statCell(c.medianA, 4), statCell(c.medianB, 4), c.u, pCell(c.pValue), c.method]),
    ),
  );
  return [rowsPath, summaryPath, testsPath];
}
