/**
 * The numbers the classification rules read, computed from one curve (x = a scale variable such as
 * validation loss, y = task error). Every feature is dimensionless, so one set of thresholds
 * serves tasks of any size and any loss range.
 */
import { fitExponential, predictExponential, type ExponentialBounds, type ExponentialFit } from '../fit/exponential.ts';
import { fitIsotonicIncreasing } from '../fit/isotonic.ts';
import { fitLine } from '../fit/linear.ts';
import { binomialNoise, differenceNoise } from '../stats/noise.ts';
import { binCurve, reversalScore, type ReversalOptions } from './reversal.ts';

export interface TaskFeatures {
  /** R² of the exponential fit: the share of variance the scaling law explains. */
  r2: number;
  /** t statistic of the straight-line slope of error on x; positive when error falls as x falls. */
  trendT: number;
  /** |trendT|: how sure we are that there is any trend. */
  absTrendT: number;
  /** Size of the fitted change across the x range (the larger of the exponential's and the line's), in units of per-point noise. */
  trendSize: number;
  /** The best reversal's weaker leg, as a z score (see reversal.ts). */
  reversalZ: number;
  /** γ·(x range): how much the exponential's slope changes across the data (log of the slope ratio). */
  curvature: number;
  /** R² of the best monotone curve minus R² of the exponential: what the exponential's shape misses. */
  shapeGap: number;
  /** Per-point sampling noise (binomial when the item count is known, else first differences). */
  noise: number;
}

export const FEATURE_DESCRIPTIONS: Record<keyof TaskFeatures, string> = {
  r2: 'R² of the exponential fit',
  trendT: 't statistic of the line slope (positive: error falls as loss falls)',
  absTrendT: 'absolute t statistic of the line slope',
  trendSize: 'fitted change across the loss range, in units of per-point sampling noise',
  reversalZ: 'z score of the weaker leg of the strongest rise-then-fall (or fall-then-rise) between bins of models',
  curvature: 'γ times the loss range: how much the fitted exponential bends',
  shapeGap: 'R² of the best monotone curve minus R² of the exponential',
  noise: 'per-point sampling noise of task error',
};

export interface FeatureOptions {
  bounds: ExponentialBounds;
  reversal: ReversalOptions;
}

export interface CurveAnalysis {
  fit: ExponentialFit;
  features: TaskFeatures;
}

/** Indices that sort `x` ascending (ties by position, so the order is deterministic). */
export function sortOrder(x: ArrayLike<number>): Int32Array {
  return Int32Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
}

/** Fit and measure one curve. `items` is the task's item count when the study gives it. */
export function analyseCurve(x: ArrayLike<number>, y: ArrayLike<number>, items: number | undefined, options: FeatureOptions): CurveAnalysis {
  const order = sortOrder(x);
  return analyseSortedCurve(Float64Array.from(order, (i) => x[i]!), Float64Array.from(order, (i) => y[i]!), items, options);
}

/** analyseCurve for points already sorted by x (the bootstrap sorts once per replicate, not per task). */
export function analyseSortedCurve(xs: Float64Array, ys: Float64Array, items: number | undefined, options: FeatureOptions): CurveAnalysis {
  const n = xs.length;
  const xRange = xs[n - 1]! - xs[0]!;

  const fit = fitExponential(xs, ys, options.bounds);
  const line = fitLine(xs, ys);
  const noise = Math.max(items ? binomialNoise(ys, items) : differenceNoise(ys), 1e-9);
  const expChange = predictExponential(fit, xs[n - 1]!) - predictExponential(fit, xs[0]!);
  const lineChange = line.slope * xRange;
  const monotone = fitIsotonicIncreasing(ys);
  const sst = sumOfSquares(ys);
  const monotoneR2 = sst > 0 ? 1 - monotone.sse / sst : 1;

  return {
    fit,
    features: {
      r2: fit.r2,
      trendT: finiteOr(line.t, 1e6),
      absTrendT: Math.abs(finiteOr(line.t, 1e6)),
      trendSize: Math.max(expChange, Math.abs(lineChange)) / noise,
      reversalZ: reversalScore(binCurve(xs, ys, noise, options.reversal)),
      curvature: fit.gamma * xRange,
      shapeGap: monotoneR2 - fit.r2,
      noise,
    },
  };
}

function sumOfSquares(values: Float64Array): number {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return ss;
}

function finiteOr(value: number, cap: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.max(-cap, Math.min(cap, value));
}
