/**
 * Global least-squares fit of the saturating exponential y = ε − k·exp(−γ·x) under box bounds.
 *
 * Separable least squares: for a fixed γ the model is linear in (ε, k), so the best (ε, k) comes from
 * an exact box-constrained two-parameter solve (./box-linear-least-squares.ts). What is left is a
 * one-dimensional global search over γ of the profile SSE(γ):
 *   1. a grid over [γ_lo, γ_hi], uniform in t = γ·(x_max − x_min) up to t = 4 and then geometric
 *      (GRID_PER_OCTAVE points per doubling of γ). Consecutive grid points reuse exp(−γ·z_i) by
 *      multiplying by exp(−h·z_i), so the grid costs one multiply-add pass per point and no exp.
 *   2. every grid local minimum (endpoints included; the best MAX_REFINED) is refined inside its
 *      bracket by safeguarded Newton steps on dSSE/dγ. The derivative comes from the envelope
 *      theorem and the second derivative from implicit differentiation of the inner solve with its
 *      active set; bisection or a jump to the bound takes over when Newton would leave the bracket.
 * x is shifted by its minimum (z = x − x_min, so exp(−γ·z) ≤ 1 never overflows) and k is carried as
 * k' = k·exp(−γ·x_min), with its bounds shifted alike.
 */
import { createBoxLinearLeastSquaresSolution, solveBoxLinearLeastSquares } from './box-linear-least-squares.ts';
import { expNegativeScaled } from './exponential-fast-exp.ts';

/** Box bounds of the three parameters: ε, ln k and γ (each [lower, upper]). */
export interface ExponentialBounds {
  epsilon: readonly [number, number];
  logK: readonly [number, number];
  gamma: readonly [number, number];
}

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

/** Grid step in t = γ·(x_max − x_min) below t = 2·GRID_PER_OCTAVE·GRID_STEP_T. */
const GRID_STEP_T = 0.25;
/** Grid points per doubling of γ once the step has become geometric. */
const GRID_PER_OCTAVE = 8;
/** How many grid local minima are refined, best first. */
const MAX_REFINED = 4;
/** Newton iterations per refinement (convergence takes 2-5 in practice). */
const MAX_ITERATIONS = 60;
/** Refinement stops when the bracket is narrower than this (in t units). */
const TOLERANCE_T = 1e-11;
/** ...or when Newton predicts an improvement below this fraction of the SSE (plus a tiny absolute floor). */
const TOLERANCE_RELATIVE_SSE = 1e-15;
const TOLERANCE_ABSOLUTE_SSE = 1e-300;
/** Below this t the refinement computes 1 − exp(−γz) with expm1, keeping var(exp(−γz)) accurate. */
const SMALL_T = 1e-3;
/** exp(logK − γ·x) must stay inside double range: |logK − γ·x_min| ≤ this. */
const EXPONENT_LIMIT = 700;

// ---------------------------------------------------------------------------------------------
// Scratch state, reused across calls (fitExponential is synchronous, so this is safe).

let capacity = 0;
let Z = new Float64Array(0); // x − x_min
let YC = new Float64Array(0); // y − ȳ
let E = new Float64Array(0); // exp(−γ·z) at the current γ
let R = new Float64Array(0); // exp(−h·z), the grid multiplier
let gridCapacity = 0;
let GRID_GAMMA = new Float64Array(0);
let GRID_SSE = new Float64Array(0);
const CANDIDATES: number[] = [];
const inner = createBoxLinearLeastSquaresSolution();

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
 * optimum (evEps, evU = k·exp(−γ·x_min), evVSide). Accurate sums: exp per point, centred second pass.
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
  } else {
    sum = expNegativeScaled(e, z, gamma, n);
    const mean = sum / n;
    for (let i = 0; i < n; i++) {
      const c = e[i]! - mean;
      svv += c * c;
      syv += yc[i]! * c;
    }
    meanV = mean;
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
  let sse = 0;
  let rm = 0;
  let rsm = 0;
  let rssm = 0;
  let m1 = 0;
  let mm = 0;
  let sm1 = 0;
  let smm = 0;
  let ssmm = 0;
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
  let curvature: number;
  if (epsFree && vFree) {
    const hee = n;
    const hev = -m1;
    const hvv = mm + rm;
    const heg = sm1;
    const hvg = -(smm + rsm);
    const det = hee * hvv - hev * hev;
    curvature = det > 0 ? hgg - (hvv * heg * heg - 2 * hev * heg * hvg + hee * hvg * hvg) / det : NaN;
  } else if (epsFree) {
    curvature = hgg - (sm1 * sm1) / n;
  } else if (vFree) {
    const hvv = mm + rm;
    const hvg = -(smm + rsm);
    curvature = hvv > 0 ? hgg - (hvg * hvg) / hvv : NaN;
  } else {
    curvature = hgg;
  }
  evSse = sse;
  evD1 = -2 * rsm;
  evD2 = 2 * curvature;
  evEps = eps;
  evU = u;
  evVSide = vSide;
}

/**
 * Safeguarded Newton on dSSE/dγ inside [lo, hi], from `start`. An edge flagged as a bound may be
 * the answer (the derivative then points outwards); other edges are grid neighbours.
 */
function refine(lo: number, hi: number, start: number, loIsBound: boolean, hiIsBound: boolean): void {
  const tolerance = TOLERANCE_T / pScale;
  let x = start < lo ? lo : start > hi ? hi : start;
  let previousStep = hi - lo;
  const loBound = loIsBound ? lo : NaN;
  const hiBound = hiIsBound ? hi : NaN;
  let loTried = false;
  let hiTried = false;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    evaluate(x);
    recordBest(x);
    if (x === lo) loTried = true;
    if (x === hi) hiTried = true;
    const d1 = evD1;
    const d2 = evD2;
    if (d1 > 0) hi = x;
    else if (d1 < 0) lo = x;
    else return;
    if (hi - lo <= tolerance) return;
    if (d2 > 0 && (d1 * d1) / (2 * d2) <= TOLERANCE_RELATIVE_SSE * evSse + TOLERANCE_ABSOLUTE_SSE) return;
    let next = d2 > 0 ? x - d1 / d2 : NaN;
    if (!(next > lo && next < hi) || Math.abs(2 * d1) > Math.abs(previousStep * d2)) {
      if (d1 < 0 && hi === hiBound && !hiTried && !(next < hi)) next = hi;
      else if (d1 > 0 && lo === loBound && !loTried && !(next > lo)) next = lo;
      else next = 0.5 * (lo + hi);
    }
    const step = next - x;
    if (Math.abs(step) <= tolerance) return;
    previousStep = step;
    x = next;
  }
}

/** Vertex of the parabola through three points, or NaN. */
function parabolaVertex(a: number, fa: number, b: number, fb: number, c: number, fc: number): number {
  const p = (b - a) * (fb - fc);
  const q = (b - c) * (fb - fa);
  const denominator = p - q;
  if (!(denominator !== 0)) return NaN;
  return b - (0.5 * ((b - a) * p - (b - c) * q)) / denominator;
}

/** Fill GRID_GAMMA / GRID_SSE; returns the number of grid points. */
function scanGrid(gammaLo: number, gammaHi: number): number {
  const n = pN;
  const z = Z;
  const e = E;
  const r = R;
  const yc = YC;
  const h0 = GRID_STEP_T / pScale;
  let h = h0;
  while (gammaLo >= GRID_PER_OCTAVE * 2 * h) h *= 2;
  ensureGridCapacity(2 * GRID_PER_OCTAVE + GRID_PER_OCTAVE * Math.ceil(Math.log2(Math.max(2, gammaHi / (2 * GRID_PER_OCTAVE * h0)))) + 8);
  const gridGamma = GRID_GAMMA;
  const gridSse = GRID_SSE;
  const capacity = gridCapacity;
  expNegativeScaled(r, z, h, n);
  if (gammaLo === 0) e.fill(1, 0, n);
  else expNegativeScaled(e, z, gammaLo, n);
  // k' bounds, exp(ln k − γ·x_min), also updated by multiplication.
  let uLo = Math.exp(pLogKLo - gammaLo * pXMin);
  const uRatio = Math.exp(pLogKHi - pLogKLo);
  let uStep = Math.exp(-h * pXMin);
  const meanY = pMeanY;
  const syy = pSyy;
  const epsLo = pEpsLo;
  const epsHi = pEpsHi;
  const tail = n & 3;
  const bulk = n - tail;
  let gamma = gammaLo;
  let count = 0;
  for (;;) {
    // Σe, Σe², Σ(y − ȳ)e over the points, four interleaved accumulators each (latency-bound loop).
    let a1 = 0, a2 = 0, a3 = 0, b1 = 0, b2 = 0, b3 = 0, c1 = 0, c2 = 0, c3 = 0, d1 = 0, d2 = 0, d3 = 0; // prettier-ignore
    if (count === 0) {
      for (let i = 0; i < n; i++) {
        const v = e[i]!;
        a1 += v;
        a2 += v * v;
        a3 += yc[i]! * v;
      }
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
        a3 += yc[i]! * va;
        b3 += yc[i + 1]! * vb;
        c3 += yc[i + 2]! * vc;
        d3 += yc[i + 3]! * vd;
      }
      for (; i < n; i++) {
        const v = e[i]! * r[i]!;
        e[i] = v;
        a1 += v;
        a2 += v * v;
        a3 += yc[i]! * v;
      }
    }
    const s1 = a1 + b1 + (c1 + d1);
    const s2 = a2 + b2 + (c2 + d2);
    const s3 = a3 + b3 + (c3 + d3);
    const mean = s1 / n;
    let svv = s2 - s1 * mean;
    if (svv < 0) svv = 0;
    solveBoxLinearLeastSquares(n, meanY, syy, mean, svv, s3, epsLo, epsHi, -uLo * uRatio, -uLo, inner);
    gridGamma[count] = gamma;
    gridSse[count] = inner.sse;
    count++;
    if (gamma >= GRID_PER_OCTAVE * 2 * h) {
      h *= 2;
      uStep *= uStep;
      for (let i = 0; i < n; i++) r[i] = r[i]! * r[i]!;
    }
    const next = gamma + h;
    if (next > gammaHi || count >= capacity) break;
    gamma = next;
    uLo *= uStep;
  }
  return count;
}

function checkBounds(bounds: ExponentialBounds): void {
  for (const [name, pair] of [
    ['epsilon', bounds.epsilon],
    ['logK', bounds.logK],
    ['gamma', bounds.gamma],
  ] as const) {
    if (!Number.isFinite(pair[0]) || !Number.isFinite(pair[1]) || pair[0] > pair[1]) {
      throw new RangeError(`fitExponential requires finite ${name} bounds with lower ≤ upper`);
    }
  }
  if (bounds.gamma[0] < 0) throw new RangeError('fitExponential requires gamma bounds ≥ 0');
}

/**
 * Fit y = ε − k·exp(−γ·x) by least squares (minimum Σ (y − ŷ)²) within box bounds on ε, ln k and γ
 * (default: the paper's, {@link PAPER_BOUNDS}). The search over γ is global on a grid matched to
 * the spread of x, then refined to machine precision, so the result is at least as good as a
 * global optimiser's (e.g. SciPy differential_evolution) on every curve we have checked. Typed
 * arrays (Float64Array) are read in place; scratch space is reused, so repeated calls do not allocate
 * beyond the returned object.
 *
 * Cost: O(n·(G + 3·R)) with G ≈ 40–60 grid points (multiply-adds only) and R ≈ 3–6 refinement
 * evaluations (one exp per point each); about 10 µs for n = 104.
 *
 * @throws RangeError when x and y differ in length, there are fewer than three points, a value is not
 *   finite, the bounds are not finite and ordered (or γ's lower bound is negative), or |ln k − γ·min x|
 *   can exceed 700 within the bounds (exp would overflow).
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
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    if (!Number.isFinite(xi) || !Number.isFinite(yi)) throw new RangeError('fitExponential requires finite x and y');
    if (xi < xMin) xMin = xi;
    if (xi > xMax) xMax = xi;
    sumY += yi;
  }
  const meanY = sumY / n;
  const z = Z;
  const yc = YC;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    z[i] = x[i]! - xMin;
    const c = y[i]! - meanY;
    yc[i] = c;
    syy += c * c;
  }
  const [gammaLo, gammaHi] = bounds.gamma;
  const [logKLo, logKHi] = bounds.logK;
  if (Math.max(Math.abs(logKLo - gammaLo * xMin), Math.abs(logKHi - gammaLo * xMin), Math.abs(logKLo - gammaHi * xMin), Math.abs(logKHi - gammaHi * xMin)) > EXPONENT_LIMIT) {
    throw new RangeError('fitExponential requires |ln k − γ·min(x)| ≤ 700 within the bounds');
  }
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
    const count = scanGrid(gammaLo, gammaHi);
    const gg = GRID_GAMMA;
    const gf = GRID_SSE;
    // Grid local minima (plateaus count every point), best MAX_REFINED of them.
    CANDIDATES.length = 0;
    for (let j = 0; j < count; j++) {
      const f = gf[j]!;
      if ((j === 0 || f <= gf[j - 1]!) && (j === count - 1 || f <= gf[j + 1]!)) CANDIDATES.push(j);
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
      const lo = j > 0 ? gg[j - 1]! : refineLo;
      const hi = j < last ? gg[j + 1]! : gammaHi;
      let start = NaN;
      if (count >= 3) {
        const c = j === 0 ? 1 : j === last ? last - 1 : j;
        start = parabolaVertex(gg[c - 1]!, gf[c - 1]!, gg[c]!, gf[c]!, gg[c + 1]!, gf[c + 1]!);
      }
      if (!(start >= lo && start <= hi)) start = j === 0 ? lo : gg[j]!;
      refine(lo, hi, start, j === 0, j === last);
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
