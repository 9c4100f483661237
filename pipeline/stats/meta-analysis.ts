/**
 * Random-effects pooling of per-study shares on the logit scale (DerSimonian & Laird 1986).
 *
 * Each study i gives k_i of n_i tasks with the property (e.g. predictable). Its logit share
 * y_i = ln((k_i + ½) / (n_i − k_i + ½)) has within-study variance v_i (given by the caller: the
 * binomial 1/(k + ½) + 1/(n − k + ½), plus any extra such as run-level bootstrap variance). Studies
 * differ by more than v_i when the between-study variance τ² > 0; DerSimonian–Laird estimates it by
 * moments: Q = Σ w_i (y_i − ȳ_w)², w_i = 1/v_i, τ² = max(0, (Q − (m − 1)) / (Σw − Σw²/Σw)). The pooled
 * logit is Σ w*_i y_i / Σ w*_i with w*_i = 1/(v_i + τ²), its standard error 1/√Σ w*_i, and the
 * interval μ ± z·SE is mapped back to a share. I² = max(0, (Q − (m − 1)) / Q) is the share of
 * the spread beyond chance. With few studies τ² is poorly determined: say so where it is reported.
 */

export interface ShareStudy {
  k: number;
  n: number;
  /** Extra within-study variance of the logit share beyond the binomial (default 0). */
  extraVariance?: number;
}

export interface PooledShare {
  studies: number;
  /** Pooled share (inverse logit of the pooled logit). */
  share: number;
  ci95: [number, number];
  logit: number;
  se: number;
  tau2: number;
  q: number;
  i2: number;
}

export const logit = (p: number): number => Math.log(p / (1 - p));
export const inverseLogit = (x: number): number => 1 / (1 + Math.exp(-x));

/** The logit share with the ½ continuity correction (defined for k = 0 and k = n). */
export function logitShare(k: number, n: number): number {
  return Math.log((k + 0.5) / (n - k + 0.5));
}

/** Binomial variance of logitShare. */
export function logitShareVariance(k: number, n: number): number {
  return 1 / (k + 0.5) + 1 / (n - k + 0.5);
}

const Z95 = 1.959963984540054;

/** DerSimonian–Laird random-effects pooling; undefined without any study with tasks. */
export function poolShares(studies: readonly ShareStudy[]): PooledShare | undefined {
  const usable = studies.filter((s) => s.n > 0);
  if (usable.length === 0) return undefined;
  const y = usable.map((s) => logitShare(s.k, s.n));
  const v = usable.map((s) => logitShareVariance(s.k, s.n) + (s.extraVariance ?? 0));
  const w = v.map((vi) => 1 / vi);
  const sumW = w.reduce((a, b) => a + b, 0);
  const fixed = w.reduce((acc, wi, i) => acc + wi * y[i]!, 0) / sumW;
  const q = w.reduce((acc, wi, i) => acc + wi * (y[i]! - fixed) ** 2, 0);
  const df = usable.length - 1;
  const c = sumW - w.reduce((acc, wi) => acc + wi * wi, 0) / sumW;
  const tau2 = df > 0 && c > 0 ? Math.max(0, (q - df) / c) : 0;
  const wStar = v.map((vi) => 1 / (vi + tau2));
  const sumWStar = wStar.reduce((a, b) => a + b, 0);
  const mu = wStar.reduce((acc, wi, i) => acc + wi * y[i]!, 0) / sumWStar;
  const se = 1 / Math.sqrt(sumWStar);
  return {
    studies: usable.length,
    share: inverseLogit(mu),
    ci95: [inverseLogit(mu - Z95 * se), inverseLogit(mu + Z95 * se)],
    logit: mu,
    se,
    tau2,
    q,
    i2: q > df && q > 0 ? (q - df) / q : 0,
  };
}
