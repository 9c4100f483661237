import { describe, expect, it } from 'vitest';
import { agreement } from '../../pipeline/aggregate/agreement.ts';
import { percentileInterval } from '../../pipeline/aggregate/bootstrap.ts';

describe('agreement', () => {
  it("matches Cohen's κ worked by hand", () => {
    // 50 items: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no → p_o = 0.7, p_e = (25·30 + 25·20)/50² = 0.5, κ = 0.4.
    const first = [...Array(25).fill('yes'), ...Array(25).fill('no')];
    const second = [...Array(20).fill('yes'), ...Array(5).fill('no'), ...Array(10).fill('yes'), ...Array(15).fill('no')];
    const result = agreement(first, second, ['yes', 'no']);
    expect(result.agree).toBe(35);
    expect(result.matrix).toEqual([[20, 5], [10, 15]]);
    expect(result.kappa).toBeCloseTo(0.4, 12);
  });

  it('gives κ = 1 for identical labels and κ ≤ 0 for labels no better than chance', () => {
    expect(agreement(['a', 'b', 'c'], ['a', 'b', 'c'], ['a', 'b', 'c']).kappa).toBe(1);
    expect(agreement(['a', 'a', 'b', 'b'], ['a', 'b', 'a', 'b'], ['a', 'b']).kappa).toBeCloseTo(0, 12);
    expect(agreement(['a', 'b'], ['b', 'a'], ['a', 'b']).kappa).toBeLessThan(0);
  });

  it('rejects unknown categories and unequal lengths', () => {
    expect(() => agreement(['a'], ['z'], ['a'])).toThrow(/unknown category/);
    expect(() => agreement(['a'], [], ['a'])).toThrow(/equal length/);
  });
});

describe('percentileInterval', () => {
  it('interpolates linearly between order statistics', () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    const [low, high] = percentileInterval(values, 0.95);
    expect(low).toBeCloseTo(2.5, 9);
    expect(high).toBeCloseTo(97.5, 9);
    expect(percentileInterval([3, 1, 2], 0)).toEqual([2, 2]);
  });
});
