import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../pipeline/stats/random.ts';
import { createBoxLinearLeastSquaresSolution, fitBoxLinearLeastSquares, solveBoxLinearLeastSquares } from '../../pipeline/fit/box-linear-least-squares.ts';


function sse(v: number[], y: number[], a: number, b: number): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const r = y[i]! - a - b * v[i]!;
    s += r * r;
  }
  return s;
}

describe('fitBoxLinearLeastSquares', () => {
  it('returns the unconstrained solution when it is inside the box', () => {
    const s = fitBoxLinearLeastSquares([0, 1, 2, 3], [1, 3, 5, 7], [-10, 10], [-10, 10]);
    expect(s.a).toBeCloseTo(1, 14);
    expect(s.b).toBeCloseTo(2, 14);
    expect(s.sse).toBeCloseTo(0, 20);
    expect([s.aSide, s.bSide]).toEqual([0, 0]);
  });

  it('clamps to an edge and re-solves the other parameter', () => {
    const s = fitBoxLinearLeastSquares([0, 1, 2], [1, 3, 5], [-10, 10], [0, 1.5]);
    expect(s.b).toBe(1.5);
    expect(s.bSide).toBe(1);
    expect(s.a).toBeCloseTo(1.5, 14);
    expect(s.sse).toBeCloseTo(0.5, 14);
  });

  it('reaches a corner', () => {
    const s = fitBoxLinearLeastSquares([0, 1, 2], [1, 3, 5], [-1, 0], [-1, 1]);
    expect([s.a, s.b]).toEqual([0, 1]);
    expect([s.aSide, s.bSide]).toEqual([1, 1]);
    expect(s.sse).toBeCloseTo(sse([0, 1, 2], [1, 3, 5], 0, 1), 12);
  });

  it('handles a constant regressor (the columns are collinear)', () => {
    const v = [1, 1, 1, 1];
    const y = [0.2, 0.4, 0.3, 0.5];
    const s = fitBoxLinearLeastSquares(v, y, [0, 1], [-3, -1]);
    // a + b = ȳ = 0.35 is reachable (a = 1, b = −0.65 is not: b ≤ −1 ⇒ a ≥ 1.35) so the best is a = 1, b = −1.
    expect(s.a + s.b).toBeCloseTo(0, 14);
    expect(s.sse).toBeCloseTo(sse(v, y, 0, 0), 14);
    const free = fitBoxLinearLeastSquares(v, y, [0, 1], [-1, 1]);
    expect(free.a + free.b).toBeCloseTo(0.35, 14);
    expect(free.sse).toBeCloseTo(0.05, 14);
  });

  it('satisfies the optimality conditions (KKT) on random problems', () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 500; trial++) {
      const n = 2 + Math.floor(random() * 30);
      const near = random() < 0.3; // nearly constant v: near-collinear columns
      const v = Array.from({ length: n }, () => (near ? 1 - 1e-6 * random() : random() * 3));
      const y = Array.from({ length: n }, () => random() * 2 - 0.5);
      const aLo = random() - 0.5;
      const aBounds = [aLo, aLo + random() * (random() < 0.2 ? 0 : 2)] as const;
      const bLo = random() * 4 - 2;
      const bBounds = [bLo, bLo + random() * 3] as const;
      const s = fitBoxLinearLeastSquares(v, y, aBounds, bBounds);
      expect(s.a).toBeGreaterThanOrEqual(aBounds[0]);
      expect(s.a).toBeLessThanOrEqual(aBounds[1]);
      expect(s.b).toBeGreaterThanOrEqual(bBounds[0]);
      expect(s.b).toBeLessThanOrEqual(bBounds[1]);
      // Gradient of ½·SSE: zero along free coordinates, pointing out of the box along active ones.
      let ga = 0;
      let gb = 0;
      let scale = 0;
      for (let i = 0; i < n; i++) {
        const r = y[i]! - s.a - s.b * v[i]!;
        ga -= r;
        gb -= r * v[i]!;
        scale += Math.abs(r) * (1 + Math.abs(v[i]!)) + 1;
      }
      const tol = 1e-9 * scale;
      if (s.a > aBounds[0] && s.a < aBounds[1]) expect(Math.abs(ga)).toBeLessThanOrEqual(tol);
      else if (s.a === aBounds[0] && aBounds[0] < aBounds[1]) expect(ga).toBeGreaterThanOrEqual(-tol);
      else if (s.a === aBounds[1] && aBounds[0] < aBounds[1]) expect(ga).toBeLessThanOrEqual(tol);
      // b's condition holds unless v is constant, where a and b trade off and any point on the optimal line is fine.
      if (!near) {
        if (s.b > bBounds[0] && s.b < bBounds[1]) expect(Math.abs(gb)).toBeLessThanOrEqual(tol);
        else if (s.b === bBounds[0]) expect(gb).toBeGreaterThanOrEqual(-tol);
        else expect(gb).toBeLessThanOrEqual(tol);
      }
      // And no feasible random point does better.
      const best = sse(v, y, s.a, s.b);
      expect(Math.abs(best - s.sse)).toBeLessThanOrEqual(1e-9 * (best + 1));
      for (let k = 0; k < 20; k++) {
        const a = aBounds[0] + random() * (aBounds[1] - aBounds[0]);
        const b = bBounds[0] + random() * (bBounds[1] - bBounds[0]);
        expect(sse(v, y, a, b)).toBeGreaterThanOrEqual(best - 1e-9 * (best + 1));
      }
    }
  });

  it('throws on bad input', () => {
    expect(() => fitBoxLinearLeastSquares([1, 2], [1], [0, 1], [0, 1])).toThrow(/same length/);
    expect(() => fitBoxLinearLeastSquares([], [], [0, 1], [0, 1])).toThrow(/at least one/);
    expect(() => fitBoxLinearLeastSquares([1, Number.NaN], [1, 2], [0, 1], [0, 1])).toThrow(/finite/);
    expect(() => fitBoxLinearLeastSquares([1, 2], [1, 2], [1, 0], [0, 1])).toThrow(/lower bounds/);
  });
});

describe('solveBoxLinearLeastSquares', () => {
  it('works from sufficient statistics and reuses the output object', () => {
    const out = createBoxLinearLeastSquaresSolution();
    // v = [0, 1, 2], y = [1, 3, 5]: ȳ = 3, Syy = 8, v̄ = 1, Svv = 2, Syv = 4
    const same = solveBoxLinearLeastSquares(3, 3, 8, 1, 2, 4, -10, 10, 0, 1.5, out);
    expect(same).toBe(out);
    expect(out.b).toBe(1.5);
    expect(out.sse).toBeCloseTo(0.5, 14);
  });
});
