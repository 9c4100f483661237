import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../pipeline/stats/random.ts';
import { fitExponential, PAPER_BOUNDS, predictExponential, type ExponentialBounds, type ExponentialFit } from '../../pipeline/fit/exponential.ts';
import { loadReferenceCurves, readReferenceFile, taskColumns } from './exponential-reference.ts';


function sseOf(fit: Pick<ExponentialFit, 'epsilon' | 'k' | 'gamma'>, x: ArrayLike<number>, y: ArrayLike<number>): number {
  let sse = 0;
  for (let i = 0; i < x.length; i++) {
    const r = y[i]! - predictExponential(fit, x[i]!);
    sse += r * r;
  }
  return sse;
}

/**
 * Profile SSE at a fixed γ, solved independently of the engine: the model is y ≈ ε − u·v with
 * v = exp(−γ(x − min x)) and u = k·exp(−γ·min x); the box-constrained 2-variable least squares is the
 * unconstrained solution if feasible, else the best clamped solution on one of the four edges.
 */
function profileSse(x: ArrayLike<number>, y: ArrayLike<number>, gamma: number, bounds: ExponentialBounds = PAPER_BOUNDS): number {
  const n = x.length;
  let xMin = Infinity;
  for (let i = 0; i < n; i++) xMin = Math.min(xMin, x[i]!);
  const v = Array.from({ length: n }, (_, i) => Math.exp(-gamma * (x[i]! - xMin)));
  const uLo = Math.exp(bounds.logK[0] - gamma * xMin);
  const uHi = Math.exp(bounds.logK[1] - gamma * xMin);
  const [eLo, eHi] = bounds.epsilon;
  const sse = (eps: number, u: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const r = y[i]! - eps + u * v[i]!;
      s += r * r;
    }
    return s;
  };
  const clamp = (value: number, lo: number, hi: number) => (Number.isFinite(value) ? Math.min(hi, Math.max(lo, value)) : lo);
  let sy = 0;
  let sv = 0;
  let svv = 0;
  let syv = 0;
  for (let i = 0; i < n; i++) {
    sy += y[i]!;
    sv += v[i]!;
    svv += v[i]! * v[i]!;
    syv += y[i]! * v[i]!;
  }
  // Normal equations for (ε, u): n·ε − sv·u = sy, sv·ε − svv·u = syv.
  const det = -n * svv + sv * sv;
  let best = Infinity;
  if (Math.abs(det) > 1e-12 * n * svv) {
    const eps = (-sy * svv + sv * syv) / det;
    const u = (n * syv - sv * sy) / det;
    if (eps >= eLo && eps <= eHi && u >= uLo && u <= uHi) best = sse(eps, u);
  }
  for (const eps of [eLo, eHi]) {
    const u = clamp((eps * sv - syv) / svv, uLo, uHi);
    best = Math.min(best, sse(eps, u));
  }
  for (const u of [uLo, uHi]) {
    const eps = clamp((sy + u * sv) / n, eLo, eHi);
    best = Math.min(best, sse(eps, u));
  }
  return best;
}

/** Brute force: the best profile SSE on a dense γ grid (uniform plus dense near γ_lo), then golden-section polish. */
function bruteForce(x: ArrayLike<number>, y: ArrayLike<number>, bounds: ExponentialBounds = PAPER_BOUNDS, points = 2500): { sse: number; gamma: number } {
  const [lo, hi] = bounds.gamma;
  let best = Infinity;
  let bestGamma = lo;
  const gammas: number[] = [];
  for (let j = 0; j <= points; j++) {
    gammas.push(lo + ((hi - lo) * j) / points);
    gammas.push(lo + (hi - lo) * (j / points) ** 3);
  }
  for (const gamma of gammas) {
    const value = profileSse(x, y, gamma, bounds);
    if (value < best) {
      best = value;
      bestGamma = gamma;
    }
  }
  const width = (hi - lo) / points;
  let a = Math.max(lo, bestGamma - width);
  let b = Math.min(hi, bestGamma + width);
  for (let iteration = 0; iteration < 60; iteration++) {
    const m1 = a + 0.381966 * (b - a);
    const m2 = a + 0.618034 * (b - a);
    if (profileSse(x, y, m1, bounds) < profileSse(x, y, m2, bounds)) b = m2;
    else a = m1;
  }
  const polished = profileSse(x, y, 0.5 * (a + b), bounds);
  if (polished < best) {
    best = polished;
    bestGamma = 0.5 * (a + b);
  }
  return { sse: best, gamma: bestGamma };
}

function expectWithinBounds(fit: ExponentialFit, bounds: ExponentialBounds = PAPER_BOUNDS): void {
  expect(fit.epsilon).toBeGreaterThanOrEqual(bounds.epsilon[0]);
  expect(fit.epsilon).toBeLessThanOrEqual(bounds.epsilon[1]);
  expect(fit.logK).toBeGreaterThanOrEqual(bounds.logK[0]);
  expect(fit.logK).toBeLessThanOrEqual(bounds.logK[1]);
  expect(fit.gamma).toBeGreaterThanOrEqual(bounds.gamma[0]);
  expect(fit.gamma).toBeLessThanOrEqual(bounds.gamma[1]);
  expect(fit.k).toBeCloseTo(Math.exp(fit.logK), 6);
}

/** fit.sse is the SSE of the returned parameters, as a caller would recompute it (up to rounding). */
function expectConsistentSse(fit: ExponentialFit, x: ArrayLike<number>, y: ArrayLike<number>): void {
  const recomputed = sseOf(fit, x, y);
  expect(Math.abs(fit.sse - recomputed)).toBeLessThanOrEqual(1e-10 * recomputed + 1e-18);
}

const gadreLikeX = Array.from({ length: 40 }, (_, i) => 2.4 + (3.7 * i) / 39);

describe('fitExponential against SciPy differential_evolution (test/fixtures/reference-optima.json)', () => {
  const reference = readReferenceFile();
  const curves = loadReferenceCurves();

  it('covers the curves the brief asks for', () => {
    const gadreTasks = taskColumns('gadre2024');
    expect(gadreTasks).toHaveLength(46);
    const onC4 = curves.filter((c) => c.study === 'gadre2024' && c.x === 'loss:c4_val');
    expect(new Set(onC4.map((c) => c.task))).toEqual(new Set(gadreTasks));
    const otherSets = new Set(curves.filter((c) => c.study === 'gadre2024' && c.x !== 'loss:c4_val').map((c) => c.x));
    expect(otherSets.size).toBeGreaterThanOrEqual(2);
    for (const xColumn of otherSets) expect(curves.filter((c) => c.study === 'gadre2024' && c.x === xColumn)).toHaveLength(46);
    expect(curves.filter((c) => c.study === 'bhagia2024' && c.x === 'loss:c4_en' && c.rows === 'final')).toHaveLength(13);
    expect(reference.generator.seeds.length).toBeGreaterThanOrEqual(2);
  });

  it.each(curves.map((curve) => [curve.id, curve] as const))('%s: SSE no worse than SciPy', (_id, curve) => {
    expect(curve.xs.length).toBe(curve.n);
    expect(curve.xs.every(Number.isFinite) && curve.ys.every(Number.isFinite)).toBe(true);
    const fit = fitExponential(curve.xs, curve.ys);
    expect(fit.n).toBe(curve.n);
    expect(fit.sse).toBeLessThanOrEqual(curve.sse * (1 + 1e-9) + 1e-15);
    expectWithinBounds(fit);
    expectConsistentSse(fit, curve.xs, curve.ys);
    // The reference SSE is itself the SSE of its parameters on these data (it was not read from elsewhere).
    const referenceSse = sseOf({ epsilon: curve.epsilon, k: Math.exp(curve.logK), gamma: curve.gamma }, curve.xs, curve.ys);
    expect(Math.abs(referenceSse - curve.sse)).toBeLessThanOrEqual(1e-9 * curve.sse + 1e-15);
  });
});

describe('fitExponential on analytic cases', () => {
  const cases: [string, number, number, number][] = [
    ['typical task', 0.8, Math.log(0.6) + 1.5 * 2.4, 1.5],
    ['slow rate', 0.95, 1.2, 0.45],
    ['fast rate', 0.75, 12, 5],
    ['large k', 0.6, 18.5, 6.5],
  ];
  it.each(cases)('recovers noise-free %s data', (_name, epsilon, logK, gamma) => {
    const y = gadreLikeX.map((x) => epsilon - Math.exp(logK - gamma * x));
    const fit = fitExponential(gadreLikeX, y);
    expect(fit.sse).toBeLessThan(1e-24);
    expect(fit.epsilon).toBeCloseTo(epsilon, 7);
    expect(fit.logK).toBeCloseTo(logK, 5);
    expect(fit.gamma).toBeCloseTo(gamma, 6);
    expect(fit.r2).toBeCloseTo(1, 12);
    expectConsistentSse(fit, gadreLikeX, y);
  });

  it('recovers parameters lying on bounds: ε = 1, ln k = 0', () => {
    const y = gadreLikeX.map((x) => 1 - Math.exp(-0.9 * x));
    const fit = fitExponential(gadreLikeX, y);
    expect(fit.sse).toBeLessThan(1e-24);
    expect(fit.epsilon).toBeCloseTo(1, 10);
    expect(fit.logK).toBeCloseTo(0, 10);
    expect(fit.gamma).toBeCloseTo(0.9, 8);
    expectWithinBounds(fit);
  });

  it('recovers the corner γ = 20, ln k = 20', () => {
    const x = Array.from({ length: 30 }, (_, i) => 0.9 + (0.4 * i) / 29);
    const y = x.map((xi) => 0.7 - Math.exp(20 - 20 * xi));
    const fit = fitExponential(x, y);
    expect(fit.sse).toBeLessThan(1e-20);
    expect(fit.gamma).toBe(20);
    expect(fit.logK).toBe(20);
    expect(fit.epsilon).toBeCloseTo(0.7, 8);
  });

  it('clamps to a bound when the data lie beyond it (ε would be 1.3)', () => {
    const y = gadreLikeX.map((x) => 1.3 - Math.exp(2 - 0.8 * x));
    const fit = fitExponential(gadreLikeX, y);
    expect(fit.epsilon).toBe(1);
    expect(fit.sse).toBeGreaterThan(1e-6);
    expect(fit.sse).toBeLessThanOrEqual(bruteForce(gadreLikeX, y).sse * (1 + 1e-9) + 1e-15);
    expectWithinBounds(fit);
  });

  it('fits constant y (sst = 0) with ε ≈ y and r2 from the sst = 0 rule', () => {
    const y = gadreLikeX.map(() => 0.6);
    const fit = fitExponential(gadreLikeX, y);
    expect(fit.sse).toBeLessThan(1e-25);
    expect(fit.epsilon).toBeCloseTo(0.6, 12);
    expect(fit.r2).toBe(fit.sse === 0 ? 1 : 0);
  });

  it('fits y ≡ 0 exactly (γ = 0, ε = k = 1) and reports r2 = 1', () => {
    const y = gadreLikeX.map(() => 0);
    const fit = fitExponential(gadreLikeX, y);
    expect(fit.sse).toBe(0);
    expect(fit.r2).toBe(1);
    expect(fit.epsilon - fit.k * Math.exp(-fit.gamma * 3)).toBe(0);
  });

  it('fits two-level (step) data at least as well as brute force', () => {
    const y = gadreLikeX.map((x) => (x < 3.6 ? 0.3 : 0.7));
    const fit = fitExponential(gadreLikeX, y);
    const brute = bruteForce(gadreLikeX, y);
    expect(fit.sse).toBeLessThanOrEqual(brute.sse * (1 + 1e-9) + 1e-15);
    expect(fit.r2).toBeGreaterThan(0.5);
    expectConsistentSse(fit, gadreLikeX, y);
  });

  it('honours custom bounds', () => {
    const bounds: ExponentialBounds = { epsilon: [0.2, 0.7], logK: [1, 3], gamma: [0.5, 2] };
    const y = gadreLikeX.map((x) => 0.9 - Math.exp(4 - 1.6 * x));
    const fit = fitExponential(gadreLikeX, y, bounds);
    expectWithinBounds(fit, bounds);
    expect(fit.epsilon).toBe(0.7);
    expect(fit.sse).toBeLessThanOrEqual(bruteForce(gadreLikeX, y, bounds).sse * (1 + 1e-9) + 1e-15);
  });

  it('handles x far from the origin and negative x', () => {
    for (const shift of [40, 300, -3]) {
      const x = gadreLikeX.map((xi) => xi + shift);
      const y = gadreLikeX.map((xi) => 0.8 - 0.6 * Math.exp(-1.3 * (xi - 2.4)));
      const bounds: ExponentialBounds = shift < 0 ? { epsilon: [0, 1], logK: [0, 20], gamma: [0, 5] } : PAPER_BOUNDS;
      const fit = fitExponential(x, y, bounds);
      expect(Number.isFinite(fit.sse)).toBe(true);
      expect(fit.sse).toBeLessThanOrEqual(bruteForce(x, y, bounds).sse * (1 + 1e-9) + 1e-15);
      expectWithinBounds(fit, bounds);
    }
  });

  it('gives the same answer for arrays and Float64Arrays, leaves inputs alone and is repeatable', () => {
    const y = gadreLikeX.map((x, i) => 0.8 - Math.exp(3 - 1.5 * x) + 0.01 * Math.sin(7 * i));
    const x64 = Float64Array.from(gadreLikeX);
    const y64 = Float64Array.from(y);
    const first = fitExponential(gadreLikeX, y);
    fitExponential([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0.1, 0.9, 0.2, 0.8, 0.3, 0.7, 0.4, 0.6, 0.5, 0.5, 0.4, 0.6]); // reuses scratch space
    expect(fitExponential(x64, y64)).toEqual(first);
    expect(Array.from(x64)).toEqual(gadreLikeX);
    expect(Array.from(y64)).toEqual(y);
  });

  it('gives bit-identical fits whether the γ grid is shared with earlier fits on the same x or built afresh', () => {
    const random = mulberry32(14);
    const x = Float64Array.from({ length: 60 }, () => 2.4 + 3 * random());
    const tasks = Array.from({ length: 8 }, (_, t) => Float64Array.from(x, (v) => 0.9 - Math.exp(1 + 0.2 * t - (0.5 + 0.3 * t) * v) + 0.03 * (random() - 0.5)));
    // Each task right after a fit on another x (fresh grid), then all of them in a row (shared grid;
    // the first of these extends rows the previous one left, in either order).
    const fresh = tasks.map((y) => {
      fitExponential([1, 2, 3, 4], [0.4, 0.3, 0.2, 0.25]);
      return fitExponential(x, y);
    });
    expect(tasks.map((y) => fitExponential(x, y))).toEqual(fresh);
    expect([...tasks].reverse().map((y) => fitExponential(x, y))).toEqual([...fresh].reverse());
    // A changed x (same length) or changed bounds must not reuse the rows.
    const shifted = Float64Array.from(x, (v, i) => (i === 7 ? v + 0.5 : v));
    const afterShift = fitExponential(shifted, tasks[0]!);
    fitExponential([1, 2, 3, 4], [0.4, 0.3, 0.2, 0.25]);
    expect(fitExponential(shifted, tasks[0]!)).toEqual(afterShift);
    const bounds: ExponentialBounds = { epsilon: [0, 1], logK: [0, 10], gamma: [0, 5] };
    const custom = fitExponential(x, tasks[1]!, bounds);
    fitExponential([1, 2, 3, 4], [0.4, 0.3, 0.2, 0.25]);
    expect(fitExponential(x, tasks[1]!, bounds)).toEqual(custom);
  });

  it('handles all x equal and n = 3', () => {
    const flat = fitExponential([3, 3, 3, 3], [0.2, 0.4, 0.3, 0.5]);
    expect(flat.sse).toBeCloseTo(0.05, 12); // the best constant
    const three = fitExponential([2.5, 3, 4], [0.3, 0.5, 0.6]);
    expect(three.sse).toBeLessThanOrEqual(bruteForce([2.5, 3, 4], [0.3, 0.5, 0.6]).sse * (1 + 1e-9) + 1e-15);
  });
});

describe('fitExponential against brute force on seeded random curves', () => {
  const random = mulberry32(20240317);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  interface Curve {
    label: string;
    x: number[];
    y: number[];
  }
  const curves: Curve[] = [];
  for (let c = 0; c < 120; c++) {
    const n = random() < 0.2 ? 3 + Math.floor(random() * 8) : 10 + Math.floor(random() * 110);
    const lo = 0.5 + random() * 5;
    const width = random() < 0.2 ? 0.02 + random() * 0.3 : 0.3 + random() * 5;
    const layout = Math.floor(random() * 3);
    const centres = [0, 1, 2].map(() => lo + random() * width);
    const x = Array.from({ length: n }, (_, i) =>
      layout === 0 ? lo + random() * width : layout === 1 ? centres[i % 3]! + 0.02 * width * gauss() : lo + (width * (Math.exp(3 * random()) - 1)) / (Math.exp(3) - 1),
    );
    const shape = Math.floor(random() * 5);
    const sigma = [0, 1e-4, 0.01, 0.05, 0.2][Math.floor(random() * 5)]!;
    const epsilon = random();
    const gamma = random() < 0.5 ? random() * 3 : random() * 20;
    const amplitude = random();
    const x0 = lo + random() * width;
    const steepness = (random() * 20) / width;
    const y = x.map((xi) => {
      const clean =
        shape === 0
          ? epsilon - amplitude * Math.exp(-gamma * (xi - lo))
          : shape === 1
            ? random()
            : shape === 2
              ? epsilon - amplitude / (1 + Math.exp(-steepness * (x0 - xi)))
              : shape === 3
                ? epsilon - amplitude * ((xi - x0) / width) ** 2
                : epsilon + amplitude * Math.sin(steepness * xi);
      return clean + sigma * gauss();
    });
    curves.push({ label: `#${c} shape ${shape} layout ${layout} n ${n} σ ${sigma}`, x, y });
  }

  it.each(curves.map((curve) => [curve.label, curve] as const))('%s', (_label, curve) => {
    const fit = fitExponential(curve.x, curve.y);
    const brute = bruteForce(curve.x, curve.y);
    expect(fit.sse).toBeLessThanOrEqual(brute.sse * (1 + 1e-9) + 1e-15);
    expectWithinBounds(fit);
    expectConsistentSse(fit, curve.x, curve.y);
  });
});

describe('fitExponential input errors', () => {
  it('throws on fewer than three points', () => {
    expect(() => fitExponential([1, 2], [0.1, 0.2])).toThrow('fitExponential requires at least three points');
    expect(() => fitExponential([], [])).toThrow(RangeError);
  });
  it('throws on mismatched lengths', () => {
    expect(() => fitExponential([1, 2, 3, 4], [0.1, 0.2, 0.3])).toThrow(/same length/);
  });
  it('throws on non-finite values', () => {
    expect(() => fitExponential([1, Number.NaN, 3], [0.1, 0.2, 0.3])).toThrow(/finite/);
    expect(() => fitExponential([1, 2, 3], [0.1, Number.POSITIVE_INFINITY, 0.3])).toThrow(/finite/);
  });
  it('throws on bad bounds', () => {
    const x = [1, 2, 3];
    const y = [0.1, 0.2, 0.3];
    expect(() => fitExponential(x, y, { ...PAPER_BOUNDS, epsilon: [1, 0] })).toThrow(/epsilon bounds/);
    expect(() => fitExponential(x, y, { ...PAPER_BOUNDS, logK: [0, Number.NaN] })).toThrow(/logK bounds/);
    expect(() => fitExponential(x, y, { ...PAPER_BOUNDS, gamma: [-1, 20] })).toThrow(/gamma bounds/);
    expect(() => fitExponential([-50, -40, -30], y)).toThrow(/700/);
  });
});

describe('predictExponential', () => {
  it('evaluates ε − k·exp(−γx)', () => {
    expect(predictExponential({ epsilon: 0.8, k: 10, gamma: 1 }, 3)).toBeCloseTo(0.8 - 10 * Math.exp(-3), 15);
    expect(predictExponential({ epsilon: 0.5, k: 1, gamma: 0 }, 7)).toBe(-0.5);
  });
  it('is exported with the paper bounds', () => {
    expect(PAPER_BOUNDS).toEqual({ epsilon: [0, 1], logK: [0, 20], gamma: [0, 20] });
    expect(Object.isFrozen(PAPER_BOUNDS)).toBe(true);
  });
});
