/**
 * Global least-squares fit of the saturating exponential y = ε − k·exp(−γ·x) under box bounds.
 *
 * Separable least squares: for a fixed γ the model is linear in (ε, k), so the best (ε, k) comes from
 * an exact box-constrained two-parameter solve (./box-linear-least-squares.ts). What is left is a
 * one-dimensional global search over γ of the profile SSE(γ):
 *   1. A grid that descends geometrically from γ_hi, GRID_PER_OCTAVE points per halving of γ, down
 *      to t = γ·scale = GRID_FLOOR_T, then γ_lo itself (scale = max(|x_min|, |x_max|, x_max − x_min):
 *      the profile's features are about 1/scale wide near γ = 0 and proportional to γ above). Grid
 *      points reuse exp(−γ·z_i) by multiplying by exp(h·z_i), so each costs one pass and no exp.
 *      When x ≥ 0, a cheap lower bound of the SSE over [γ_lo, γ] (the model can never exceed
 *      ε_hi − exp(ln k_lo − γ·x)) stops the descent as soon as nothing below can beat the grid's best.
 *      All of the grid but Σ(y − ȳ)·exp(−γ·z) depends on x and the bounds alone, so consecutive fits
 *      on the same x (the tasks of a curve set or of a bootstrap replicate) share it: one dot product
 *      per grid point each, with results bit-identical to a fresh scan.
 *   2. Every grid local minimum (endpoints included; the best MAX_REFINED, one per flat stretch) is
 *      refined inside its bracket by safeguarded Newton steps on dSSE/dγ. The derivative comes from
 *      the envelope theorem and the second derivative from implicit differentiation of the inner
 *      solve with its active set; bisection, or a jump to a bound of γ, takes over when Newton would
 *      leave the bracket.
 * x is shifted by its minimum (z = x − x_min, so exp(−γ·z) ≤ 1 never overflows) and k is carried as
 * k' = k·exp(−γ·x_min), with its bounds shifted alike.
 */
import { createBoxLinearLeastSquaresSolution, solveBoxLinearLeastSquares } from './box-linear-least-squares.ts';
import { expNegativeScaled, expNegativeScaledWithSums } from './exponential-fast-exp.ts';

import type { ExponentialBounds } from '../config/analysis-config.ts';

export type { ExponentialBounds };

/** The bounds of the paper we reproduce: ε ∈ [0, 1], ln k ∈ [0, 20], γ ∈ [0, 20]. */
export const PAPER_BOUNDS: ExponentialBounds = Object.freeze({
  epsilon: Object.freeze([0, 1] as const),
  logK: Object.freeze([0, 20] as const),
  gamma: Object.freeze([0, 20] as const),
});

/** A fitted curve. `sse` = Σ (y − ŷ)², `r2` = 1 − sse/sst (sst = Σ (y − ȳ)²; 1 or 0 when sst = 0). */
export interface ExponentialFit {
  epsilon: number;
  k: number;
  logK: number;
  gamma: number;
  sse: number;
  r2: number;
  n: number;
}

/** The grid stops descending at t = γ·scale = GRID_FLOOR_T (scale = max(|x_min|, |x_max|, x_max − x_min)). */
const GRID_FLOOR_T = 1e-7;
/** Lower-bound pruning of the grid's small-γ end is tried below t = PRUNE_T. */
const PRUNE_T = 4;
/** Beyond γ·(x_max − x_min) = this, exp(±γz) risks overflow or underflow: compute it per point. */
const DIRECT_LIMIT_T = 600;
const UNDERFLOW_T = 600;
/** Grid points per halving of γ. */
const GRID_PER_OCTAVE = 4;
/** How many grid local minima are refined, best first. */
const MAX_REFINED = 6;
/** Grid values within this relative difference count as one flat stretch. */
const PLATEAU_TOLERANCE = 1e-11;
/** Newton iterations per refinement (convergence takes 2-5 in practice). */
const MAX_ITERATIONS = 60;
/** Refinement stops when the bracket is narrower than this (in t units). */
const TOLERANCE_T = 1e-11;
/** ...or when Newton predicts an improvement below this fraction of the SSE (plus a tiny absolute floor):
 * far below the 1e-9 relative tolerance we hold ourselves to against a global optimiser. */
const TOLERANCE_RELATIVE_SSE = 1e-12;
const TOLERANCE_ABSOLUTE_SSE = 1e-300;
/** Below this t the refinement computes 1 − exp(−γz) with expm1, keeping var(exp(−γz)) accurate. */
const SMALL_T = 1e-3;
/** Above this t, one pass computes exp(−γz) and its sums (uncentred). */
const ONE_PASS_T = 1;
/** exp(ln k − γ·x) must stay inside double range: ln k − γ·x_min ≤ this (and the ln k range too). */
const EXPONENT_LIMIT = 700;

// ---------------------------------------------------------------------------------------------
// Scratch state, reused across calls (fitExponential is synchronous, so this is safe).

let capacity = 0;
let Z = new Float64Array(0); // x − x_min
let YC = new Float64Array(0); // y − ȳ
let E = new Float64Array(0); // exp(−γ·z) at the current γ
let R = new Float64Array(0); // exp(h·z), the grid's multiplier from one point to the next (lower) one
let gridCapacity = 0;
let GRID_GAMMA = new Float64Array(0);
let GRID_SSE = new Float64Array(0);
const CANDIDATES: number[] = [];
let gridPruned = false;
const inner = createBoxLinearLeastSquaresSolution();
const SUMS = new Float64Array(3);
const OCTAVE_SUMS = new Float64Array(2 * GRID_PER_OCTAVE);

// The problem being fitted.
let pN = 0;
let pXMin = 0;
let pRange = 1; // x_max − x_min, or 1 when all x are equal
let pScale = 1; // max(|x_min|, |x_max|, x_max − x_min): 1/pScale is the γ scale of the profile's features
let pMeanY = 0;
let pSyy = 0;
let pEpsLo = 0;
let pEpsHi = 0;
let pLogKLo = 0;
let pLogKHi = 0;

// The last evaluation (evaluate()).
let evSse = 0;
let evD1 = 0;
let evD2 = 0;
let evEps = 0;
let evU = 0;
let evVSide: -1 | 0 | 1 = 0;

// The best point of the whole search.
let bestSse = Infinity;
let bestGamma = 0;
let bestEps = 0;
let bestU = 0;
let bestVSide: -1 | 0 | 1 = 0;

function ensureCapacity(n: number): void {
  if (n <= capacity) return;
  capacity = Math.max(n, 2 * capacity, 128);
  Z = new Float64Array(capacity);
  YC = new Float64Array(capacity);
  E = new Float64Array(capacity);
  R = new Float64Array(capacity);
}

function ensureGridCapacity(count: number): void {
  if (count <= gridCapacity) return;
  gridCapacity = Math.max(count, 2 * gridCapacity, 256);
  GRID_GAMMA = new Float64Array(gridCapacity);
  GRID_SSE = new Float64Array(gridCapacity);
}

function recordBest(gamma: number): void {
  if (evSse < bestSse) {
    bestSse = evSse;
    bestGamma = gamma;
    bestEps = evEps;
    bestU = evU;
    bestVSide = evVSide;
  }
}

/**
 * Profile SSE at γ with its first and second derivatives (evSse, evD1, evD2) and the inner
 * optimum (evEps, evU = k·exp(−γ·x_min), evVSide). One exp per point; the SSE comes from the
 * residuals, the derivatives from the envelope theorem (first) and implicit differentiation of the
 * inner solve with its active set (second).
 */
function evaluate(gamma: number): void {
  const n = pN;
  const z = Z;
  const e = E;
  const yc = YC;
  let sum = 0;
  let svv = 0;
  let syv = 0;
  let meanV: number;
  if (gamma * pRange < SMALL_T) {
    // d = 1 − exp(−γz) is accurate where exp(−γz) ≈ 1; var(d) = var(e), cov(y, e) = −cov(y, d).
    for (let i = 0; i < n; i++) {
      const d = -Math.expm1(-gamma * z[i]!);
      e[i] = d;
      sum += d;
    }
    const mean = sum / n;
    for (let i = 0; i < n; i++) {
      const d = e[i]!;
      const c = d - mean;
      svv += c * c;
      syv -= yc[i]! * c;
      e[i] = 1 - d;
    }
    meanV = 1 - mean;
  } else if (gamma * pRange < ONE_PASS_T) {
    sum = expNegativeScaled(e, z, gamma, n);
    const mean = sum / n;
    for (let i = 0; i < n; i++) {
      const c = e[i]! - mean;
      svv += c * c;
      syv += yc[i]! * c;
    }
    meanV = mean;
  } else {
    // exp(−γz) is spread out enough that Σe² − (Σe)²/n loses little; errors in the inner solve
    // only affect the SSE (computed below from residuals) to second order anyway.
    const sums = SUMS;
    expNegativeScaledWithSums(e, z, gamma, n, yc, sums);
    sum = sums[0]!;
    meanV = sum / n;
    svv = sums[1]! - sum * meanV;
    if (svv < 0) svv = 0;
    syv = sums[2]!;
  }
  const uLo = Math.exp(pLogKLo - gamma * pXMin);
  const uHi = Math.exp(pLogKHi - gamma * pXMin);
  // y ≈ ε + b·e with b = −k' ∈ [−uHi, −uLo]
  solveBoxLinearLeastSquares(n, pMeanY, pSyy, meanV, svv, syv, pEpsLo, pEpsHi, -uHi, -uLo, inner);
  const eps = inner.a;
  const u = -inner.b;
  const vSide = inner.bSide === 0 ? 0 : inner.bSide === 1 ? -1 : 1;
  const epsFree = inner.aSide === 0;
  const vFree = vSide === 0;
  // With ln k free the shifted parametrisation is as good as the original one, and more accurate.
  const shift = vFree ? 0 : pXMin;
  const offset = pMeanY - eps;
  // One pass for the SSE and the sums the active set's curvature needs (each sum accumulated as in
  // the full pass, so the values are the same; the bound cases skip the sums they never read).
  let sse = 0;
  let rsm = 0;
  let rssm = 0;
  let ssmm = 0;
  let curvature: number;
  if (epsFree && vFree) {
    let rm = 0;
    let m1 = 0;
    let mm = 0;
    let sm1 = 0;
    let smm = 0;
    for (let i = 0; i < n; i++) {
      const m = u * e[i]!;
      const r = yc[i]! + offset + m;
      const s = z[i]! + shift;
      const sm = s * m;
      sse += r * r;
      rm += r * m;
      rsm += r * sm;
      rssm += r * s * sm;
      m1 += m;
      mm += m * m;
      sm1 += sm;
      smm += sm * m;
      ssmm += sm * sm;
    }
    // Halved derivatives of Q = Σ r², r = y − ε + exp(v − γ s), with v = ln k (or ln k').
    const hgg = ssmm + rssm;
    const hee = n;
    const hev = -m1;
    const hvv = mm + rm;
    const heg = sm1;
    const hvg = -(smm + rsm);
    const det = hee * hvv - hev * hev;
    curvature = det > 0 ? hgg - (hvv * heg * heg - 2 * hev * heg * hvg + hee * hvg * hvg) / det : NaN;
  } else if (epsFree) {
    let sm1 = 0;
    for (let i = 0; i < n; i++) {
      const m = u * e[i]!;
      const r = yc[i]! + offset + m;
      const s = z[i]! + shift;
      const sm = s * m;
      sse += r * r;
      rsm += r * sm;
      rssm += r * s * sm;
      sm1 += sm;
      ssmm += sm * sm;
    }
    curvature = ssmm + rssm - (sm1 * sm1) / n;
  } else if (vFree) {
    let rm = 0;
    let mm = 0;
    let smm = 0;
    for (let i = 0; i < n; i++) {
      const m = u * e[i]!;
      const r = yc[i]! + offset + m;
      const s = z[i]! + shift;
      const sm = s * m;
      sse += r * r;
      rm += r * m;
      rsm += r * sm;
      rssm += r * s * sm;
      mm += m * m;
      smm += sm * m;
      ssmm += sm * sm;
    }
    const hvv = mm + rm;
    const hvg = -(smm + rsm);
    curvature = hvv > 0 ? ssmm + rssm - (hvg * hvg) / hvv : NaN;
  } else {
    for (let i = 0; i < n; i++) {
      const m = u * e[i]!;
      const r = yc[i]! + offset + m;
      const s = z[i]! + shift;
      const sm = s * m;
      sse += r * r;
      rsm += r * sm;
      rssm += r * s * sm;
      ssmm += sm * sm;
    }
    curvature = ssmm + rssm;
  }
  evSse = sse;
  evD1 = -2 * rsm;
  evD2 = 2 * curvature;
  evEps = eps;
  evU = u;
  evVSide = vSide;
}

/**
 * Minimise the profile over [a, c] around the grid point b (grid value fb), starting at `start`:
 * Newton steps on dSSE/dγ from the best point so far, bisection of the side the derivative points
 * to when Newton leaves it, and a jump to an edge that is a bound of γ (where the answer may lie,
 * the derivative then pointing outwards). Keeps a ≤ best ≤ c, so it settles on a local minimum
 * no higher than anything it has seen.
 */
function refine(a: number, b: number, fb: number, c: number, start: number, aIsBound: boolean, cIsBound: boolean): void {
  const tolerance = TOLERANCE_T / pScale;
  const aBound = aIsBound ? a : NaN;
  const cBound = cIsBound ? c : NaN;
  let aTried = false;
  let cTried = false;
  let bestX = b;
  let bestF = fb; // the grid's value until b itself is evaluated
  let known = false; // derivatives at bestX evaluated
  let d1 = 0;
  let d2 = 0;
  let step = c - a;
  let stepBefore = step;
  let x = start < a ? a : start > c ? c : start;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    evaluate(x);
    recordBest(x);
    if (x === aBound) aTried = true;
    if (x === cBound) cTried = true;
    const fx = evSse;
    // Until b is evaluated, bestF is the grid's value, good to ~1e-13: within that, prefer x (saves evaluating b).
    if (x === bestX || fx <= (known ? bestF : bestF * (1 + 1e-12))) {
      if (x > bestX) a = bestX;
      else if (x < bestX) c = bestX;
      bestX = x;
      bestF = fx;
      d1 = evD1;
      d2 = evD2;
      known = true;
    } else if (x < bestX) a = x;
    else c = x;
    if (!known) {
      x = bestX;
      continue;
    }
    if (!(d1 !== 0)) return; // stationary (or NaN)
    const width = d1 < 0 ? c - bestX : bestX - a;
    if (width <= tolerance) return; // includes a bound with the derivative pointing outwards
    const limit = TOLERANCE_RELATIVE_SSE * bestF + TOLERANCE_ABSOLUTE_SSE;
    if (Math.abs(d1) * width <= limit) return; // even a linear decrease would be negligible
    if (d2 > 0 && (d1 * d1) / (2 * d2) <= limit) return; // Newton's predicted gain is negligible
    let next = d2 > 0 ? bestX - d1 / d2 : d1 < 0 ? Infinity : -Infinity;
    if (d1 < 0) {
      if (next >= c) next = c === cBound && !cTried ? c : bestX + 0.5 * width;
      else if (!(next > bestX) || 2 * (next - bestX) > Math.abs(stepBefore)) next = bestX + 0.5 * width;
    } else {
      if (next <= a) next = a === aBound && !aTried ? a : bestX - 0.5 * width;
      else if (!(next < bestX) || 2 * (bestX - next) > Math.abs(stepBefore)) next = bestX - 0.5 * width;
    }
    stepBefore = step;
    step = next - bestX;
    if (Math.abs(step) <= tolerance) return;
    x = next;
  }
}

/**
 * The local minimum in [lo, hi] of the cubic through four points (x0 < x1 < x2 < x3), or NaN: a
 * better start for the refinement than the parabola's vertex, saving about one Newton step.
 */
function cubicMinimum(x0: number, f0: number, x1: number, f1: number, x2: number, f2: number, x3: number, f3: number, lo: number, hi: number): number {
  // Divided differences in u = x − x1, then p'(u) = a·u² + b·u + c.
  const u0 = x0 - x1;
  const u2 = x2 - x1;
  const u3 = x3 - x1;
  const d01 = (f1 - f0) / -u0;
  const d12 = (f2 - f1) / u2;
  const d23 = (f3 - f2) / (u3 - u2);
  const d012 = (d12 - d01) / (u2 - u0);
  const d123 = (d23 - d12) / u3;
  const d0123 = (d123 - d012) / (u3 - u0);
  const a = 3 * d0123;
  const b = 2 * d012 - 2 * d0123 * (u0 + u2);
  const c = d01 - d012 * u0 + d0123 * u0 * u2;
  let root = NaN;
  if (Math.abs(a) * (hi - lo) <= 1e-12 * Math.abs(b)) {
    if (b > 0) root = -c / b;
  } else {
    const discriminant = b * b - 4 * a * c;
    if (discriminant >= 0) {
      const q = -0.5 * (b + (b >= 0 ? Math.sqrt(discriminant) : -Math.sqrt(discriminant)));
      const r1 = q / a;
      const r2 = c / q;
      if (2 * a * r1 + b > 0) root = r1;
      else if (2 * a * r2 + b > 0) root = r2;
    }
  }
  const x = root + x1;
  return x >= lo && x <= hi ? x : NaN;
}

/** Vertex of the parabola through three points, or NaN. */
function parabolaVertex(a: number, fa: number, b: number, fb: number, c: number, fc: number): number {
  const p = (b - a) * (fb - fc);
  const q = (b - c) * (fb - fa);
  const denominator = p - q;
  if (!(denominator !== 0)) return NaN;
  return b - (0.5 * ((b - a) * p - (b - c) * q)) / denominator;
}

// ---------------------------------------------------------------------------------------------
// The γ grid, shared by consecutive fits on the same x.
//
// Everything about the grid except Σ(y − ȳ)·e depends on x and the bounds alone: the γ points,
// e = exp(−γ·z) at each, Σe, Σe² and the k' bounds. Every curve set fits many tasks on one x (and
// every bootstrap replicate draws one x for all its tasks), so the grid is kept as rows and reused
// while x and the bounds stay the same; a fit then costs one dot product per grid point. Rows are
// generated lazily, only as far as some fit has needed (pruning usually stops well above γ_lo), and
// exactly as a fresh scan would make them, so a fit's result does not depend on what came before.

/** Row flags: sums accumulated in one sequential chain (else four interleaved ones); after this row, try pruning; γ_lo itself. */
const ROW_SEQUENTIAL = 1;
const ROW_OCTAVE_TOP = 2;
const ROW_LAST = 4;

let gridN = -1; // n of the x the rows belong to (−1: no rows)
let GRID_X = new Float64Array(0);
let gridGammaLo = NaN;
let gridGammaHi = NaN;
let gridLogKLo = NaN;
let gridLogKHi = NaN;
let gridNeeded = 0; // grid points a scan may need (GRID_GAMMA / GRID_SSE capacity)
let gridLimit = 0; // the scan stops before this many points (never reached in practice)
let rowCapacity = 0;
let rowCount = 0;
let rowsDone = false;
let ROW_E = new Float64Array(0); // row j's exp(−γ_j·z) at [j·n, (j + 1)·n)
let ROW_GAMMA = new Float64Array(0);
let ROW_U_LO = new Float64Array(0); // exp(ln k_lo − γ_j·x_min)
let ROW_S1 = new Float64Array(0); // Σe
let ROW_S2 = new Float64Array(0); // Σe²
let ROW_FLAGS = new Uint8Array(0);
// The generator's state between rows: exp(−γ·z) at the next γ (G_E) and the multiplier to the one after (R).
let G_E = new Float64Array(0);
let gGamma = 0;
let gH = 0;
let gDirect = false;
let gFresh = true;
let gULo = 0;
let gUStep = 1;
let gOctave = 0;
let gM = 0;
let gFloorGamma = 0;
let gEnded = false; // the descent is over; only γ_lo itself is left

/** Use the rows of the current x (already in Z, pN, pXMin, pRange; sameX: x equals the rows' x) and bounds, or start new ones. */
function selectGrid(x: ArrayLike<number>, sameX: boolean, gammaLo: number, gammaHi: number): void {
  const same = sameX && gammaLo === gridGammaLo && gammaHi === gridGammaHi && pLogKLo === gridLogKLo && pLogKHi === gridLogKHi;
  if (!same) startGrid(x, gammaLo, gammaHi);
  ensureGridCapacity(gridNeeded);
}

function startGrid(x: ArrayLike<number>, gammaLo: number, gammaHi: number): void {
  const n = pN;
  if (GRID_X.length < n) {
    GRID_X = new Float64Array(capacity);
    G_E = new Float64Array(capacity);
  }
  for (let i = 0; i < n; i++) GRID_X[i] = x[i]!;
  gridN = n;
  gridGammaLo = gammaLo;
  gridGammaHi = gammaHi;
  gridLogKLo = pLogKLo;
  gridLogKHi = pLogKHi;
  gFloorGamma = Math.max(gammaLo, GRID_FLOOR_T / pScale);
  gridNeeded = GRID_PER_OCTAVE * (Math.ceil(Math.log2(Math.max(2, gammaHi / gFloorGamma))) + 2) + 4;
  ensureGridCapacity(gridNeeded);
  gridLimit = gridCapacity;
  rowCount = 0;
  rowsDone = false;
  gEnded = false;
  gGamma = gammaHi;
  gH = gammaHi / (2 * GRID_PER_OCTAVE);
  // exp(h·z) would overflow, or exp(−γ·z) has underflowed and must be recomputed: exp per point.
  gDirect = gH * pRange > DIRECT_LIMIT_T;
  gFresh = true;
  expNegativeScaled(G_E, Z, gGamma, n);
  if (!gDirect) expNegativeScaled(R, Z, -gH, n); // exp(+h·z)
  // k' bounds, exp(ln k − γ·x_min), also updated by multiplication.
  gULo = Math.exp(pLogKLo - gGamma * pXMin);
  gUStep = Math.exp(gH * pXMin);
  gOctave = 0;
  gM = 0;
}

function ensureRowCapacity(rows: number): void {
  const n = gridN;
  if (rows <= rowCapacity && ROW_E.length >= rows * n) return;
  const next = Math.max(rows, 2 * rowCapacity, 32);
  const e = new Float64Array(next * n);
  e.set(ROW_E.subarray(0, rowCount * n));
  ROW_E = e;
  const grow = (old: Float64Array) => {
    const fresh = new Float64Array(next);
    fresh.set(old.subarray(0, rowCount));
    return fresh;
  };
  ROW_GAMMA = grow(ROW_GAMMA);
  ROW_U_LO = grow(ROW_U_LO);
  ROW_S1 = grow(ROW_S1);
  ROW_S2 = grow(ROW_S2);
  const flags = new Uint8Array(next);
  flags.set(ROW_FLAGS.subarray(0, rowCount));
  ROW_FLAGS = flags;
  rowCapacity = next;
}

/**
 * Append the next row: the grid descends from γ_hi, GRID_PER_OCTAVE points per halving of γ,
 * updating exp(−γ·z) by multiplication; it ends at t = GRID_FLOOR_T with γ_lo itself.
 */
function generateRow(): void {
  const n = pN;
  const j = rowCount;
  ensureRowCapacity(j + 1);
  const rowE = ROW_E;
  const base = j * n;
  const e = G_E;
  if (gEnded) {
    // γ_lo itself, exactly.
    const gammaLo = gridGammaLo;
    if (gammaLo === 0) e.fill(1, 0, n);
    else expNegativeScaled(e, Z, gammaLo, n);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = e[i]!;
      s1 += v;
      s2 += v * v;
      rowE[base + i] = v;
    }
    ROW_GAMMA[j] = gammaLo;
    ROW_U_LO[j] = Math.exp(pLogKLo - gammaLo * pXMin);
    ROW_S1[j] = s1;
    ROW_S2[j] = s2;
    ROW_FLAGS[j] = ROW_SEQUENTIAL | ROW_LAST;
    rowCount = j + 1;
    rowsDone = true;
    return;
  }
  const r = R;
  const perOctave = GRID_PER_OCTAVE;
  const bulk = n - (n & 3);
  let a1 = 0, a2 = 0, b1 = 0, b2 = 0, c1 = 0, c2 = 0, d1 = 0, d2 = 0; // prettier-ignore
  // Σe² at γ is Σe at 2γ, the same point of the octave above: reuse it where e is spread enough (t ≥ 1)
  // for Σe² − (Σe)²/n to keep its digits.
  const reuse = gOctave > 0 && !gFresh && gGamma * pRange >= ONE_PASS_T;
  let flags = 0;
  if (gFresh) {
    for (let i = 0; i < n; i++) {
      const v = e[i]!;
      a1 += v;
      a2 += v * v;
    }
    flags = ROW_SEQUENTIAL;
    gFresh = false;
  } else {
    let i = 0;
    for (; i < bulk; i += 4) {
      const va = e[i]! * r[i]!;
      const vb = e[i + 1]! * r[i + 1]!;
      const vc = e[i + 2]! * r[i + 2]!;
      const vd = e[i + 3]! * r[i + 3]!;
      e[i] = va;
      e[i + 1] = vb;
      e[i + 2] = vc;
      e[i + 3] = vd;
      a1 += va;
      b1 += vb;
      c1 += vc;
      d1 += vd;
      a2 += va * va;
      b2 += vb * vb;
      c2 += vc * vc;
      d2 += vd * vd;
    }
    for (; i < n; i++) {
      const v = e[i]! * r[i]!;
      e[i] = v;
      a1 += v;
      a2 += v * v;
    }
  }
  rowE.set(e.subarray(0, n), base);
  const s1 = a1 + b1 + (c1 + d1);
  const s2 = reuse ? OCTAVE_SUMS[((gOctave - 1) & 1) * perOctave + gM]! : a2 + b2 + (c2 + d2);
  OCTAVE_SUMS[(gOctave & 1) * perOctave + gM] = s1;
  ROW_GAMMA[j] = gGamma;
  ROW_U_LO[j] = gULo;
  ROW_S1[j] = s1;
  ROW_S2[j] = s2;
  rowCount = j + 1;
  if (gM === 0 && gOctave > 0) {
    // The top of a new octave (half the previous top): fits try pruning here; then halve the step.
    flags |= ROW_OCTAVE_TOP;
    gH *= 0.5;
    gUStep = Math.exp(gH * pXMin);
    if (gDirect && gH * pRange <= DIRECT_LIMIT_T) {
      gDirect = false;
      expNegativeScaled(r, Z, -gH, n);
    } else if (!gDirect) {
      for (let i = 0; i < n; i++) r[i] = Math.sqrt(r[i]!);
    }
  }
  ROW_FLAGS[j] = flags;
  if (++gM === perOctave) {
    gM = 0;
    gOctave++;
  }
  const next = gGamma - gH;
  if (next <= gFloorGamma || j + 1 >= gridLimit - 1) {
    gEnded = true;
    return;
  }
  gGamma = next;
  // Multiplicative update, unless it has underflowed (x far from 0) or would overflow.
  gULo = gULo > 1e-290 && gUStep < 1e290 ? gULo * gUStep : Math.exp(pLogKLo - gGamma * pXMin);
  if (gDirect || gGamma * pRange > UNDERFLOW_T) {
    expNegativeScaled(e, Z, gGamma, n);
    gFresh = true;
  }
}

/** Σ max(0, y_i − U_i)², U_i = ε_hi − exp(ln k_lo − γ·x_i) (e = the row at base): a lower bound of the SSE over [γ_lo, γ] when x ≥ 0. */
function lowerBoundBelow(base: number, uLo: number): number {
  const n = pN;
  const e = ROW_E;
  const yc = YC;
  const shift = pMeanY - pEpsHi;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    // Branch-free (the sign is unpredictable); adding 0 leaves the sum unchanged.
    const excess = Math.max(yc[i]! + shift + uLo * e[base + i]!, 0);
    sum += excess * excess;
  }
  return sum;
}

/**
 * Fill GRID_GAMMA / GRID_SSE in ascending γ and return the number of points: the grid's rows, each
 * now one dot product with y − ȳ and the inner solve, down to γ_lo, or until a lower bound proves
 * that nothing below can beat the best point so far (gridPruned).
 */
function scanGrid(): number {
  const n = pN;
  const yc = YC;
  const gridGamma = GRID_GAMMA;
  const gridSse = GRID_SSE;
  const canPrune = pXMin >= 0;
  const meanY = pMeanY;
  const syy = pSyy;
  const epsLo = pEpsLo;
  const epsHi = pEpsHi;
  const uRatio = Math.exp(pLogKHi - pLogKLo);
  const bulk = n - (n & 3);
  let best = Infinity;
  let count = 0;
  gridPruned = false;
  for (let j = 0; ; j++) {
    if (j === rowCount) {
      if (rowsDone) break;
      generateRow();
    }
    const e = ROW_E;
    const base = j * n;
    const flags = ROW_FLAGS[j]!;
    // Σ(y − ȳ)e in the order the scan has always used (bit-identical fits).
    let s3: number;
    if (flags & ROW_SEQUENTIAL) {
      s3 = 0;
      for (let i = 0; i < n; i++) s3 += yc[i]! * e[base + i]!;
    } else {
      let a3 = 0, b3 = 0, c3 = 0, d3 = 0; // prettier-ignore
      let i = 0;
      // Eight a step, each of the four sums still taking every fourth term in order.
      const bulk8 = n - (n & 7);
      for (; i < bulk8; i += 8) {
        const k = base + i;
        a3 += yc[i]! * e[k]!;
        b3 += yc[i + 1]! * e[k + 1]!;
        c3 += yc[i + 2]! * e[k + 2]!;
        d3 += yc[i + 3]! * e[k + 3]!;
        a3 += yc[i + 4]! * e[k + 4]!;
        b3 += yc[i + 5]! * e[k + 5]!;
        c3 += yc[i + 6]! * e[k + 6]!;
        d3 += yc[i + 7]! * e[k + 7]!;
      }
      for (; i < bulk; i += 4) {
        a3 += yc[i]! * e[base + i]!;
        b3 += yc[i + 1]! * e[base + i + 1]!;
        c3 += yc[i + 2]! * e[base + i + 2]!;
        d3 += yc[i + 3]! * e[base + i + 3]!;
      }
      for (; i < n; i++) a3 += yc[i]! * e[base + i]!;
      s3 = a3 + b3 + (c3 + d3);
    }
    const s1 = ROW_S1[j]!;
    const mean = s1 / n;
    let svv = ROW_S2[j]! - s1 * mean;
    if (svv < 0) svv = 0;
    const uLo = ROW_U_LO[j]!;
    solveBoxLinearLeastSquares(n, meanY, syy, mean, svv, s3, epsLo, epsHi, -uLo * uRatio, -uLo, inner);
    const f = inner.sse;
    if (f < best) best = f;
    const gamma = ROW_GAMMA[j]!;
    gridGamma[count] = gamma;
    gridSse[count] = f;
    count++;
    if (flags & ROW_OCTAVE_TOP && canPrune && gamma * pScale <= PRUNE_T && lowerBoundBelow(base, uLo) > best * (1 + 1e-12)) {
      gridPruned = true;
      break;
    }
  }
  for (let i = 0, j = count - 1; i < j; i++, j--) {
    const g = gridGamma[i]!;
    gridGamma[i] = gridGamma[j]!;
    gridGamma[j] = g;
    const f = gridSse[i]!;
    gridSse[i] = gridSse[j]!;
    gridSse[j] = f;
  }
  return count;
}

function checkPair(name: string, pair: readonly [number, number]): void {
  if (!Number.isFinite(pair[0]) || !Number.isFinite(pair[1]) || pair[0] > pair[1]) {
    throw new RangeError(`fitExponential requires finite ${name} bounds with lower ≤ upper`);
  }
}

/** Checked per call without allocating (fits run by the hundred thousand). */
function checkBounds(bounds: ExponentialBounds): void {
  checkPair('epsilon', bounds.epsilon);
  checkPair('logK', bounds.logK);
  checkPair('gamma', bounds.gamma);
  if (bounds.gamma[0] < 0) throw new RangeError('fitExponential requires gamma bounds ≥ 0');
}

/**
 * Why exp(ln k − γ·x) could overflow somewhere in the bounds for data whose smallest x is `xMin`, or
 * undefined when the fit is well defined. Callers with unusual x (ln of a tiny loss, −ln of compute)
 * check this first and skip the fit with the reason instead of failing.
 */
export function exponentialDomainProblem(xMin: number, bounds: ExponentialBounds): string | undefined {
  if (!Number.isFinite(xMin)) return `x must be finite, found ${xMin}`;
  const [gammaLo, gammaHi] = bounds.gamma;
  const [logKLo, logKHi] = bounds.logK;
  if (logKHi - logKLo > EXPONENT_LIMIT) return `the ln k bounds span more than ${EXPONENT_LIMIT}`;
  const worst = logKHi - Math.min(gammaLo * xMin, gammaHi * xMin);
  if (worst > EXPONENT_LIMIT) return `ln k − γ·x reaches ${worst.toPrecision(4)} at the smallest x (${xMin.toPrecision(4)}); exp() overflows above ${EXPONENT_LIMIT}`;
  return undefined;
}

/**
 * Fit y = ε − k·exp(−γ·x) by least squares (minimum Σ (y − ŷ)²) within box bounds on ε, ln k and γ
 * (default: the paper's, {@link PAPER_BOUNDS}). For the scaling-law curves (task error against
 * validation loss) and anything else that needs a fit no worse than a global optimiser's: the search
 * over γ is global on a grid matched to x, then refined to machine precision, and on every reference
 * curve the SSE is at most SciPy differential_evolution's (test/fit/exponential.test.ts). Typed
 * arrays (Float64Array) are read in place; scratch space is reused, so a call allocates only the
 * returned object. Not re-entrant across threads' shared memory (each worker has its own module).
 *
 * Cost: O(n·(G + 3·R)): G ≈ 25–30 grid points for loss-like x ≥ 0 (up to ~130 when nothing can be
 * pruned), one multiply-add pass each (one dot product when the previous call had the same x and
 * bounds), and R ≈ 3–6 refinement evaluations of one exp per point (bench/fit-bench.ts, `make bench`).
 * Keeps O(G·n) doubles of grid rows for the last x.
 *
 * @throws RangeError when x and y differ in length, there are fewer than three points, a value is not
 *   finite, the bounds are not finite and ordered (or γ's lower bound is negative), or ln k − γ·min(x)
 *   can exceed 700 within the bounds (exp would overflow; only possible with negative x or huge ln k).
 * @example
 * const fit = fitExponential([2.5, 3, 3.5, 4], [0.3, 0.45, 0.55, 0.62]);
 * // fit.epsilon, fit.k, fit.gamma, fit.sse, fit.r2
 */
export function fitExponential(x: ArrayLike<number>, y: ArrayLike<number>, bounds: ExponentialBounds = PAPER_BOUNDS): ExponentialFit {
  const n = x.length;
  if (y.length !== n) throw new RangeError('fitExponential requires x and y of the same length');
  if (n < 3) throw new RangeError('fitExponential requires at least three points');
  checkBounds(bounds);
  ensureCapacity(n);
  let xMin = Infinity;
  let xMax = -Infinity;
  let sumY = 0;
  // Whether x is the x of the grid's rows, checked in the same pass (GRID_X holds gridN ≥ n values when n = gridN).
  let sameX = n === gridN;
  const gridX = GRID_X;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    if (!Number.isFinite(xi) || !Number.isFinite(yi)) throw new RangeError('fitExponential requires finite x and y');
    if (xi !== gridX[i]) sameX = false;
    if (xi < xMin) xMin = xi;
    if (xi > xMax) xMax = xi;
    sumY += yi;
  }
  const z = Z;
  const yc = YC;
  let meanY = sumY / n;
  let drift = 0;
  for (let i = 0; i < n; i++) {
    z[i] = x[i]! - xMin;
    const c = y[i]! - meanY;
    yc[i] = c;
    drift += c;
  }
  // One step of mean refinement: Σ(y − ȳ) = 0 to rounding, and exactly 0 when all y are equal.
  drift /= n;
  meanY += drift;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const c = yc[i]! - drift;
    yc[i] = c;
    syy += c * c;
  }
  const [gammaLo, gammaHi] = bounds.gamma;
  const [logKLo, logKHi] = bounds.logK;
  // exp(ln k − γ·x) must not overflow anywhere in the box (underflow to 0 is harmless).
  const outside = exponentialDomainProblem(xMin, bounds);
  if (outside) throw new RangeError(`fitExponential: ${outside}`);
  pN = n;
  pXMin = xMin;
  pRange = xMax > xMin ? xMax - xMin : 1;
  pScale = Math.max(xMax - xMin, Math.abs(xMin), Math.abs(xMax)) || 1;
  pMeanY = meanY;
  pSyy = syy;
  pEpsLo = bounds.epsilon[0];
  pEpsHi = bounds.epsilon[1];
  pLogKLo = logKLo;
  pLogKHi = logKHi;
  bestSse = Infinity;
  bestGamma = gammaLo;
  bestEps = 0;
  bestU = 0;
  bestVSide = 0;

  if (gammaHi - gammaLo <= TOLERANCE_T / pScale) {
    evaluate(gammaLo);
    recordBest(gammaLo);
  } else {
    selectGrid(x, sameX, gammaLo, gammaHi);
    const count = scanGrid();
    const gg = GRID_GAMMA;
    const gf = GRID_SSE;
    // Grid local minima, best MAX_REFINED of them. A flat stretch (values equal to rounding, as where
    // exp(−γx) has vanished) would make every point a local minimum: keep one point per stretch.
    CANDIDATES.length = 0;
    let highSinceCandidate = -Infinity;
    for (let j = 0; j < count; j++) {
      const f = gf[j]!;
      if ((j === 0 || f <= gf[j - 1]!) && (j === count - 1 || f <= gf[j + 1]!)) {
        const previous = CANDIDATES.length > 0 ? CANDIDATES[CANDIDATES.length - 1]! : -1;
        if (previous >= 0 && highSinceCandidate <= Math.min(f, gf[previous]!) * (1 + PLATEAU_TOLERANCE)) {
          if (f < gf[previous]!) CANDIDATES[CANDIDATES.length - 1] = j;
        } else CANDIDATES.push(j);
        highSinceCandidate = f;
      } else if (f > highSinceCandidate) highSinceCandidate = f;
    }
    if (CANDIDATES.length > MAX_REFINED) {
      CANDIDATES.sort((a, b) => gf[a]! - gf[b]!);
      CANDIDATES.length = MAX_REFINED;
    }
    // γ = 0 exactly makes the inner problem degenerate (exp(−γx) constant); refine from just above it
    // and let the grid value at 0 (exact) compete below.
    const refineLo = gammaLo === 0 ? Math.min(1e-9 / pScale, 0.5 * (gammaHi - gammaLo)) : gammaLo;
    let bestGrid = 0;
    for (let j = 1; j < count; j++) if (gf[j]! < gf[bestGrid]!) bestGrid = j;
    for (const j of CANDIDATES) {
      const last = count - 1;
      const b = j === 0 && gg[0] === 0 ? refineLo : gg[j]!;
      const a = j > 0 ? gg[j - 1]! : b;
      const c = j < last ? gg[j + 1]! : gammaHi;
      let start = NaN;
      if (count >= 3) {
        const m = j === 0 ? 1 : j === last ? last - 1 : j;
        start = parabolaVertex(gg[m - 1]!, gf[m - 1]!, gg[m]!, gf[m]!, gg[m + 1]!, gf[m + 1]!);
        if (count >= 4 && j > 0 && j < last) {
          // Add the next grid point on the side of the vertex (if there is one).
          const right = start > gg[j]! ? j + 2 <= last : j < 2;
          const s = right ? j - 1 : j - 2;
          const cubic = cubicMinimum(gg[s]!, gf[s]!, gg[s + 1]!, gf[s + 1]!, gg[s + 2]!, gf[s + 2]!, gg[s + 3]!, gf[s + 3]!, a, c);
          if (cubic === cubic) start = cubic;
        }
      }
      if (!(start >= a && start <= c)) start = b;
      refine(a, b, gf[j]!, c, start, j === 0 && !gridPruned, j === last);
    }
    const gridSse = gf[bestGrid]!;
    if (gridSse < bestSse * (1 - 1e-13)) {
      evaluate(gg[bestGrid]!);
      recordBest(gg[bestGrid]!);
    }
  }

  const gamma = bestGamma;
  const vSide = bestVSide as -1 | 0 | 1; // set by recordBest(), which TypeScript's narrowing does not see
  let logK: number;
  if (vSide === -1) logK = logKLo;
  else if (vSide === 1) logK = logKHi;
  else {
    logK = Math.log(bestU) + gamma * xMin;
    if (!(logK >= logKLo)) logK = logKLo;
    else if (logK > logKHi) logK = logKHi;
  }
  const sse = bestSse;
  const r2 = syy > 0 ? 1 - sse / syy : sse === 0 ? 1 : 0;
  return { epsilon: bestEps, k: Math.exp(logK), logK, gamma, sse, r2, n };
}

/**
 * The fitted curve at x: ε − k·exp(−γ·x), for plotting, residuals and extrapolation.
 *
 * Cost: one exp.
 *
 * @throws never (non-finite inputs give non-finite output).
 * @example
 * predictExponential({ epsilon: 0.8, k: 10, gamma: 1 }, 3); // 0.8 − 10·e^−3 ≈ 0.302
 */
export function predictExponential(fit: Pick<ExponentialFit, 'epsilon' | 'k' | 'gamma'>, x: number): number {
  return fit.epsilon - fit.k * Math.exp(-fit.gamma * x);
}
