/**
 * Exact two-parameter least squares for a straight line y ≈ a + b·v with box bounds on a and b.
 *
 * This is the inner solve of the separable exponential fit (pipeline/fit/exponential.ts): once the
 * rate γ is fixed, y = ε − k·exp(−γ·x) is linear in (ε, k). The problem is a convex quadratic in
 * two variables, so its box-constrained minimum is either the unconstrained normal-equation solution
 * (when it lies inside the box) or the best of the four edge minima, each a one-dimensional clamped
 * problem (corners are reached by the clamping). Everything works from centred sufficient statistics,
 * which keeps it accurate when v is nearly constant (the columns 1 and v nearly collinear).
 */

/** Where a parameter ended: -1 on its lower bound, 1 on its upper bound, 0 strictly inside. */
export type BoundSide = -1 | 0 | 1;

/** A solution of {@link solveBoxLinearLeastSquares}; pass one in to be overwritten (no allocation). */
export interface BoxLinearLeastSquaresSolution {
  /** Intercept. */
  a: number;
  /** Slope on v. */
  b: number;
  /** Σ (y − a − b·v)², from the sufficient statistics (≥ 0). */
  sse: number;
  aSide: BoundSide;
  bSide: BoundSide;
}

/**
 * A fresh solution object to reuse across calls of {@link solveBoxLinearLeastSquares}, so that hot
 * loops do not allocate.
 *
 * Cost: one small object.
 *
 * @throws never.
 * @example
 * const out = createBoxLinearLeastSquaresSolution();
 */
export function createBoxLinearLeastSquaresSolution(): BoxLinearLeastSquaresSolution {
  return { a: 0, b: 0, sse: 0, aSide: 0, bSide: 0 };
}

function side(value: number, lo: number, hi: number): BoundSide {
  if (value <= lo) return -1;
  if (value >= hi) return 1;
  return 0;
}

/**
 * Minimise Σ (y_i − a − b·v_i)² over aLo ≤ a ≤ aHi, bLo ≤ b ≤ bHi, given centred sufficient
 * statistics of the n points. Exact (no iteration); used once per trial γ of the exponential fit.
 * Degenerate inputs (svv = 0: v constant) are fine: the edge solutions then pick a minimiser.
 *
 * Cost: O(1), no allocation (writes into `out`, which it also returns).
 *
 * @param n number of points (> 0)
 * @param meanY ȳ
 * @param syy Σ (y_i − ȳ)²
 * @param meanV v̄
 * @param svv Σ (v_i − v̄)²
 * @param syv Σ (y_i − ȳ)(v_i − v̄)
 * @throws never; the caller guarantees aLo ≤ aHi, bLo ≤ bHi and finite statistics.
 * @example
 * // y = 1 + 2v exactly, slope capped at 1.5:
 * const s = solveBoxLinearLeastSquares(3, 3, 8, 1, 2, 4, -10, 10, 0, 1.5, createBoxLinearLeastSquaresSolution());
 * // s.b === 1.5, s.bSide === 1
 */
export function solveBoxLinearLeastSquares(
  n: number,
  meanY: number,
  syy: number,
  meanV: number,
  svv: number,
  syv: number,
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number,
  out: BoxLinearLeastSquaresSolution,
): BoxLinearLeastSquaresSolution {
  // SSE(a, b) = syy − 2b·syv + b²·svv + n·(ȳ − a − b·v̄)²
  if (svv > 0) {
    const b = syv / svv;
    const a = meanY - b * meanV;
    if (b >= bLo && b <= bHi && a >= aLo && a <= aHi) {
      out.a = a;
      out.b = b;
      const sse = syy - b * syv;
      out.sse = sse > 0 ? sse : 0;
      out.aSide = side(a, aLo, aHi);
      out.bSide = side(b, bLo, bHi);
      return out;
    }
  }
  let bestA = 0;
  let bestB = 0;
  let best = Infinity;
  // Edges a = aLo and a = aHi: minimise over b, then clamp.
  const svvTotal = svv + n * meanV * meanV; // Σ v²
  for (let pass = 0; pass < 2; pass++) {
    const a = pass === 0 ? aLo : aHi;
    const c = meanY - a;
    let b = svvTotal > 0 ? (syv + n * meanV * c) / svvTotal : 0;
    if (!(b >= bLo)) b = bLo; // also catches NaN
    else if (b > bHi) b = bHi;
    const r = c - b * meanV;
    const sse = syy - 2 * b * syv + b * b * svv + n * r * r;
    if (sse < best) {
      best = sse;
      bestA = a;
      bestB = b;
    }
  }
  // Edges b = bLo and b = bHi: minimise over a, then clamp.
  for (let pass = 0; pass < 2; pass++) {
    const b = pass === 0 ? bLo : bHi;
    let a = meanY - b * meanV;
    if (!(a >= aLo)) a = aLo;
    else if (a > aHi) a = aHi;
    const r = meanY - a - b * meanV;
    const sse = syy - 2 * b * syv + b * b * svv + n * r * r;
    if (sse < best) {
      best = sse;
      bestA = a;
      bestB = b;
    }
  }
  out.a = bestA;
  out.b = bestB;
  out.sse = best > 0 ? best : 0;
  out.aSide = side(bestA, aLo, aHi);
  out.bSide = side(bestB, bLo, bHi);
  return out;
}

/**
 * Convenience form of {@link solveBoxLinearLeastSquares} that takes the points themselves
 * (two passes, centred sums). Meant for tests and one-off use, not inner loops.
 *
 * Cost: O(n) time, one small object.
 *
 * @throws RangeError when the arrays differ in length, are empty, hold non-finite values or the bounds are inverted.
 * @example
 * const s = fitBoxLinearLeastSquares([0, 1, 2], [1, 3, 5], [-10, 10], [-10, 10]); // a = 1, b = 2
 */
export function fitBoxLinearLeastSquares(
  v: ArrayLike<number>,
  y: ArrayLike<number>,
  aBounds: readonly [number, number],
  bBounds: readonly [number, number],
): BoxLinearLeastSquaresSolution {
  const n = v.length;
  if (n !== y.length) throw new RangeError('fitBoxLinearLeastSquares requires v and y of the same length');
  if (n === 0) throw new RangeError('fitBoxLinearLeastSquares requires at least one point');
  if (!(aBounds[0] <= aBounds[1]) || !(bBounds[0] <= bBounds[1])) throw new RangeError('fitBoxLinearLeastSquares requires lower bounds ≤ upper bounds');
  let sy = 0;
  let sv = 0;
  for (let i = 0; i < n; i++) {
    const vi = v[i]!;
    const yi = y[i]!;
    if (!Number.isFinite(vi) || !Number.isFinite(yi)) throw new RangeError('fitBoxLinearLeastSquares requires finite values');
    sy += yi;
    sv += vi;
  }
  const meanY = sy / n;
  const meanV = sv / n;
  let syy = 0;
  let svv = 0;
  let syv = 0;
  for (let i = 0; i < n; i++) {
    const dy = y[i]! - meanY;
    const dv = v[i]! - meanV;
    syy += dy * dy;
    svv += dv * dv;
    syv += dy * dv;
  }
  return solveBoxLinearLeastSquares(n, meanY, syy, meanV, svv, syv, aBounds[0], aBounds[1], bBounds[0], bBounds[1], createBoxLinearLeastSquaresSolution());
}
