/**
 * Small statistics the analyses share: Welch's two-sample t test with an exact Student-t p-value
 * (regularized incomplete beta by continued fraction), Holm's step-down adjustment, the median.
 * Everything is deterministic; nothing here draws random numbers.
 */
import { errorFunction, mean as ssMean, median as ssMedian, sampleVariance as ssSampleVariance, wilcoxonRankSum } from 'simple-statistics';

export interface WelchResult {
  /** mean(a) − mean(b). */
  difference: number;
  /** Welch's t: difference / sqrt(var(a)/n_a + var(b)/n_b); ±Infinity when both samples are constant and differ. */
  statistic: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value. */
  pValue: number;
}

/** Arithmetic mean (simple-statistics); NaN for no values. */
export function mean(values: ArrayLike<number>): number {
  return values.length === 0 ? Number.NaN : ssMean(Array.from(values));
}

/** Unbiased sample variance, n − 1 denominator (simple-statistics); 0 for fewer than two values. */
export function sampleVariance(values: ArrayLike<number>): number {
  return values.length < 2 ? 0 : ssSampleVariance(Array.from(values));
}

/** Median (simple-statistics); NaN for no values. */
export function median(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : ssMedian([...values]);
}

/**
 * Welch's unequal-variance t test of mean(a) = mean(b). Both samples need at least two values.
 * @example welchTTest([1, 2, 3], [4, 5, 6]).pValue // ≈ 0.0213
 */
export function welchTTest(a: ArrayLike<number>, b: ArrayLike<number>): WelchResult {
  const na = a.length;
  const nb = b.length;
  if (na < 2 || nb < 2) throw new RangeError('welchTTest requires at least two values in each sample');
  const difference = mean(a) - mean(b);
  const va = sampleVariance(a) / na;
  const vb = sampleVariance(b) / nb;
  const se2 = va + vb;
  if (!(se2 > 0)) {
    const statistic = difference === 0 ? 0 : difference > 0 ? Infinity : -Infinity;
    return { difference, statistic, df: na + nb - 2, pValue: difference === 0 ? 1 : 0 };
  }
  const statistic = difference / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (na - 1) + (vb * vb) / (nb - 1));
  return { difference, statistic, df, pValue: studentTwoSidedP(statistic, df) };
}

/**
 * Hand-written because simple-statistics has no Student-t distribution function (only a t statistic).
 * P(|T| ≥ |t|) for Student's t with `df` degrees of freedom: I_{df/(df+t²)}(df/2, 1/2), no cancellation in the tail. */
export function studentTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? Number.NaN : 0;
  if (!(df > 0)) return Number.NaN;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error ≈ 1e-15). */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** I_x(a, b), the regularized incomplete beta function (Numerical Recipes' betai with a modified-Lentz continued fraction). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/**
 * Holm's step-down adjustment: adjusted p-values that control the family-wise error rate over all
 * of `pValues` (NaN entries are not tests: they stay NaN and do not count towards the family size).
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const tested = pValues.map((p, i) => [p, i] as const).filter(([p]) => !Number.isNaN(p));
  tested.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const m = tested.length;
  const adjusted = pValues.map(() => Number.NaN);
  let running = 0;
  tested.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values): rejecting where the adjusted value is below q
 * controls the false discovery rate at q over all of `pValues` (NaN entries are not tests).
 */
export function benjaminiHochbergAdjust(pValues: readonly number[]): number[] {
  const tested = pValues.map((p, i) => [p, i] as const).filter(([p]) => !Number.isNaN(p));
  tested.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const m = tested.length;
  const adjusted = pValues.map(() => Number.NaN);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const [p, i] = tested[rank]!;
    running = Math.min(running, (m / (rank + 1)) * p);
    adjusted[i] = running;
  }
  return adjusted;
}

export interface MannWhitneyResult {
  /** U of the first sample: pairs (a_i, b_j) with a_i > b_j, ties counting one half. */
  u: number;
  /** Two-sided p-value of "a and b come from one distribution". */
  pValue: number;
  method: 'exact' | 'normal approximation with tie correction';
}

/**
 * Mann–Whitney U (Wilcoxon rank-sum) test, two-sided. Rank sum from simple-statistics; the p-value
 * is exact (the null distribution of the rank sum counted over every split of the ranks) when there
 * are no ties, else the normal approximation with tie and continuity correction.
 * Cost: O(N · n_a · N) for the exact distribution (N = n_a + n_b).
 * @example mannWhitneyU([1, 2, 3], [4, 5, 6]).pValue // 0.1 (= 2/20)
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  const m = a.length;
  const n = b.length;
  if (m < 1 || n < 1) throw new RangeError('mannWhitneyU requires at least one value in each sample');
  const rankSum = wilcoxonRankSum([...a], [...b]);
  const u = rankSum - (m * (m + 1)) / 2;
  const pooled = [...a, ...b].sort((x, y) => x - y);
  const tieGroups: number[] = [];
  for (let i = 0; i < pooled.length; ) {
    let j = i + 1;
    while (j < pooled.length && pooled[j] === pooled[i]) j++;
    if (j - i > 1) tieGroups.push(j - i);
    i = j;
  }
  if (tieGroups.length === 0) {
    // ways[k][s]: subsets of k ranks from 1..r with sum s, built rank by rank.
    const total = m + n;
    const maxSum = (m * (2 * total - m + 1)) / 2;
    const ways = Array.from({ length: m + 1 }, () => new Float64Array(maxSum + 1));
    ways[0]![0] = 1;
    for (let r = 1; r <= total; r++) {
      for (let k = Math.min(r, m); k >= 1; k--) {
        const row = ways[k]!;
        const previous = ways[k - 1]!;
        for (let s = maxSum; s >= r; s--) row[s]! += previous[s - r]!;
      }
    }
    const distribution = ways[m]!;
    let all = 0;
    let below = 0;
    let above = 0;
    for (let s = 0; s <= maxSum; s++) {
      all += distribution[s]!;
      if (s <= rankSum) below += distribution[s]!;
      if (s >= rankSum) above += distribution[s]!;
    }
    return { u, pValue: Math.min(1, (2 * Math.min(below, above)) / all), method: 'exact' };
  }
  const N = m + n;
  const tieTerm = tieGroups.reduce((sum, t) => sum + t ** 3 - t, 0);
  const sd = Math.sqrt(((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1))));
  const z = sd > 0 ? Math.max(0, Math.abs(u - (m * n) / 2) - 0.5) / sd : 0;
  return { u, pValue: Math.min(1, 2 * (1 - standardNormalCdf(z))), method: 'normal approximation with tie correction' };
}

/** Φ(z) by the error function (simple-statistics' cumulativeStdNormalProbability is a 2-decimal table). */
function standardNormalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}
