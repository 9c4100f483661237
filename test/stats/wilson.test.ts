import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../pipeline/stats/wilson.ts';

describe('Wilson score interval', () => {
  it('matches SciPy (binomtest(k, n).proportion_ci(method="wilson"))', () => {
    const cases: [number, number, number, number][] = [
      [19, 46, 0.28288603224812775, 0.5566050222015384],
      [0, 10, 0, 0.27753279986288926],
      [10, 10, 0.7224672001371109, 1],
      [3, 7, 0.1582198552514697, 0.7495416354723428],
    ];
    for (const [k, n, low, high] of cases) {
      const [l, h] = wilsonInterval(k, n);
      expect(l).toBeCloseTo(low, 12);
      expect(h).toBeCloseTo(high, 12);
    }
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(5, 4)).toThrow(/0 ≤ k ≤ n/);
    expect(() => wilsonInterval(0, 0)).toThrow(/n ≥ 1/);
  });
});
