/**
 * Ordinary least-squares line y = intercept + slope·x, with the t statistic of the slope.
 * Used as the shape-free trend test: is there any monotone drift at all, and which way?
 * Cost: O(n). @throws when fewer than three points are given.
 * @example fitLine([1, 2, 3], [2, 4, 6]).slope // 2
 */
export interface LineFit {
  intercept: number;
  slope: number;
  /** slope / standard error of the slope; ±Infinity for a perfect fit with a non-zero slope. */
  t: number;
  sse: number;
  r2: number;
  /** Σ (y − ȳ)², the total sum of squares. */
  syy: number;
}

export function fitLine(x: ArrayLike<number>, y: ArrayLike<number>): LineFit {
  const n = x.length;
  if (n < 3 || y.length !== n) throw new Error('fitLine requires at least three points and equal lengths');
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const sse = Math.max(0, syy - slope * sxy);
  const r2 = syy > 0 ? 1 - sse / syy : sse === 0 ? 1 : 0;
  const standardError = sxx > 0 ? Math.sqrt(sse / (n - 2) / sxx) : Number.POSITIVE_INFINITY;
  const t = slope === 0 ? 0 : standardError === 0 ? Math.sign(slope) * Number.POSITIVE_INFINITY : slope / standardError;
  return { intercept, slope, t, sse, r2, syy };
}
