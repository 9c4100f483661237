/**
 * The numbers the classification rules read, computed from one curve (x = a scale variable such as
 * validation loss, y = task error). Every feature is dimensionless, so one set of thresholds
 * serves tasks of any size and any loss range.
 */
import { exponentialDomainProblem, fitExponential, predictExponential, type ExponentialBounds, type ExponentialFit } from './exponential.ts';
import { isotonicSse } from './isotonic.ts';
import { fitLine } from './linear.ts';
import { sampleNoise } from '../stats/noise.ts';
import { curveReversalScore, type ReversalOptions } from './reversal.ts';

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
  /** γ·(x range): how much the exponential's slope changes across the data (log of the slope ratio); NaN when the fit form has no curvature (a straight line), so rules reading it do not apply. */
  curvature: number;
  /** R² of the best monotone curve minus R² of the exponential: what the exponential's shape misses. */
  shapeGap: number;
  /**
   * Residual scatter about the fitted curve (root mean square, per degree of freedom) over the
   * per-point sampling noise: about 1 when models differ from the curve only by the luck of which
   * items they got right; far above 1 when models of the same loss really differ.
   */
  scatterOverNoise: number;
  /**
   * What the fitted curve's shape misses, measured against sampling noise rather than variance:
   * (SSE of the fit − SSE of the best monotone curve) / (points × noise²). A monotone curve always
   * fits better; by less than about one sampling variance per point is what noise alone gives.
   * Unlike shapeGap (a share of variance), it stays small for tasks with few items, whose
   * variance is mostly sampling noise.
   */
  shapeGapOverNoise: number;
  /** Per-point sampling noise (binomial when the item count is known, else first differences). */
  noise: number;
}

/** Feature order in packed vectors (the bootstrap stores one Float64Array row per task and replicate). */
export const FEATURE_NAMES = ['r2', 'trendT', 'absTrendT', 'trendSize', 'reversalZ', 'curvature', 'shapeGap', 'scatterOverNoise', 'shapeGapOverNoise', 'noise'] as const satisfies readonly (keyof TaskFeatures)[];

export function packFeatures(features: TaskFeatures, into: Float64Array, offset: number): void {
  for (let f = 0; f < FEATURE_NAMES.length; f++) into[offset + f] = features[FEATURE_NAMES[f]!];
}

/** Refill `features` from a packed row (no allocation: sweeps unpack millions of rows). */
export function unpackFeaturesInto(from: Float64Array, offset: number, features: TaskFeatures): TaskFeatures {
  for (let f = 0; f < FEATURE_NAMES.length; f++) features[FEATURE_NAMES[f]!] = from[offset + f]!;
  return features;
}

/** The curve shapes the "fit form" sensitivity compares; the paper's is the exponential in loss. */
export type FitForm = 'exponential' | 'power' | 'linear';

export interface FeatureOptions {
  bounds: ExponentialBounds;
  reversal: ReversalOptions;
  /** Default 'exponential' (ε − k·exp(−γ·x)); 'power' fits the same form in ln x (ε − k·x^−γ); 'linear' a line. */
  form?: FitForm;
}

/** What the noise model needs to know about a task. */
export interface TaskNoise {
  /** Item count, when the study gives it (binomial noise); otherwise noise is estimated from the data. */
  items?: number;
  /** y = raw error × errorScale (e.g. 1/(1 − chance) for chance-normalized error); noise scales alike. */
  errorScale?: number;
}

export interface CurveAnalysis {
  /** The fitted curve of the chosen form (for 'linear', ε and k are NaN and γ is 0). */
  fit: ExponentialFit;
  features: TaskFeatures;
}

/** Indices that sort `x` ascending (ties by position, so the order is deterministic). */
export function sortOrder(x: ArrayLike<number>): Int32Array {
  return Int32Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
}

/**
 * Why `form` cannot be fitted to x values `xs` within `bounds` (e.g. the power form takes ln x, and ln of
 * a loss near 0 makes exp() overflow), or undefined. A bootstrap replicate only resamples these x,
 * so checking the full set covers every replicate.
 */
export function fitDomainProblem(form: FitForm, xs: ArrayLike<number>, bounds: ExponentialBounds): string | undefined {
  if (form === 'linear' || xs.length === 0) return undefined;
  let xMin = Infinity;
  for (let i = 0; i < xs.length; i++) xMin = Math.min(xMin, xs[i]!);
  if (form === 'power' && !(xMin > 0)) return `the power form takes ln x and needs every x > 0, found ${xMin}`;
  const problem = exponentialDomainProblem(form === 'power' ? Math.log(xMin) : xMin, bounds);
  return problem && (form === 'power' ? `the power form fits in ln x (smallest x ${xMin.toPrecision(3)}): ${problem}` : problem);
}

/** Fit and measure one curve. */
export function analyseCurve(x: ArrayLike<number>, y: ArrayLike<number>, task: TaskNoise, options: FeatureOptions): CurveAnalysis {
  const order = sortOrder(x);
  return analyseSortedCurve(Float64Array.from(order, (i) => x[i]!), Float64Array.from(order, (i) => y[i]!), task, options);
}

/** analyseCurve for points already sorted by x (the bootstrap sorts once per replicate, not per task). */
export function analyseSortedCurve(xs: Float64Array, ys: Float64Array, task: TaskNoise, options: FeatureOptions): CurveAnalysis {
  const n = xs.length;
  const form = options.form ?? 'exponential';
  const scale = task.errorScale ?? 1;
  // Noise is a property of the raw error: measure it there, then rescale.
  const noise = scale * sampleNoise(scale === 1 ? ys : ys.map((y) => y / scale), task.items);
  const line = fitLine(xs, ys);
  const lineChange = line.slope * (xs[n - 1]! - xs[0]!);
  const monotoneSse = isotonicSse(ys);
  const sst = line.syy;
  const monotoneR2 = sst > 0 ? 1 - monotoneSse / sst : 1;

  let fit: ExponentialFit;
  let curveChange: number;
  let curvature: number;
  if (form === 'linear') {
    fit = { epsilon: Number.NaN, k: Number.NaN, logK: Number.NaN, gamma: 0, sse: line.sse, r2: line.r2, n };
    curveChange = lineChange;
    // A line has no bend to measure: undefined, not 0, so no rule reading curvature can fire on it
    // (a comparison with NaN is false). A 0 here used to make a line "barely bend" = breakthrough.
    curvature = Number.NaN;
  } else {
    const u = form === 'power' ? xs.map(Math.log) : xs;
    fit = fitExponential(u, ys, options.bounds);
    curveChange = predictExponential(fit, u[n - 1]!) - predictExponential(fit, u[0]!);
    curvature = fit.gamma * (u[n - 1]! - u[0]!);
  }

  return {
    fit,
    features: {
      r2: fit.r2,
      trendT: finiteOr(line.t, 1e6),
      absTrendT: Math.abs(finiteOr(line.t, 1e6)),
      trendSize: Math.max(curveChange, Math.abs(lineChange)) / noise,
      reversalZ: curveReversalScore(xs, ys, noise, options.reversal),
      curvature,
      shapeGap: monotoneR2 - fit.r2,
      scatterOverNoise: Math.sqrt(fit.sse / Math.max(1, n - (form === 'linear' ? 2 : 3))) / noise,
      shapeGapOverNoise: Math.max(0, fit.sse - monotoneSse) / (n * noise * noise),
      noise,
    },
  };
}

function finiteOr(value: number, cap: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.max(-cap, Math.min(cap, value));
}
