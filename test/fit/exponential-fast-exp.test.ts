import { describe, expect, it } from 'vitest';
import { expNegativeScaled, expNegativeScaledWithSums } from '../../pipeline/fit/exponential-fast-exp.ts';

describe('expNegativeScaled', () => {
  it('matches Math.exp within a few ulp over the range the fit uses', () => {
    const n = 4001;
    const z = new Float64Array(n);
    const out = new Float64Array(n);
    let worst = 0;
    for (const gamma of [0, 1e-9, 0.37, 1, 3.3, 20, 150]) {
      for (let i = 0; i < n; i++) z[i] = (i / (n - 1)) * 5 + (i % 7) * 1e-3;
      const sum = expNegativeScaled(out, z, gamma, n);
      let expected = 0;
      for (let i = 0; i < n; i++) {
        const exact = Math.exp(-gamma * z[i]!);
        expected += exact;
        if (exact > 1e-300) worst = Math.max(worst, Math.abs(out[i]! - exact) / exact);
        else expect(out[i]!).toBeLessThan(1e-290);
      }
      expect(Math.abs(sum - expected)).toBeLessThanOrEqual(1e-14 * expected + 1e-300);
    }
    expect(worst).toBeLessThan(4 * Number.EPSILON);
  });

  it('underflows to (almost) zero instead of misbehaving for huge arguments', () => {
    const out = new Float64Array(3);
    expNegativeScaled(out, Float64Array.of(800, 1e6, 1e300), 1, 3);
    for (const value of out) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1e-300);
    }
  });

  it('also accumulates Σe, Σe² and Σw·e', () => {
    const z = Float64Array.of(0, 0.5, 1, 2);
    const w = Float64Array.of(1, -2, 0.5, 3);
    const out = new Float64Array(4);
    const sums = new Float64Array(3);
    expNegativeScaledWithSums(out, z, 1.7, 4, w, sums);
    const e = Array.from(z, (v) => Math.exp(-1.7 * v));
    expect(sums[0]).toBeCloseTo(e.reduce((a, b) => a + b, 0), 14);
    expect(sums[1]).toBeCloseTo(e.reduce((a, b) => a + b * b, 0), 14);
    expect(sums[2]).toBeCloseTo(e.reduce((a, b, i) => a + w[i]! * b, 0), 14);
    e.forEach((v, i) => expect(Math.abs(out[i]! - v)).toBeLessThanOrEqual(4 * Number.EPSILON * v));
  });
});
