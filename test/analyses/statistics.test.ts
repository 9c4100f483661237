/** The statistics the analyses rest on, against values computed independently with SciPy 1.17 (stats.t, ttest_ind, beta, false_discovery_control). */
import { describe, expect, it } from 'vitest';
import { benjaminiHochbergAdjust, holmAdjust, logGamma, median, regularizedIncompleteBeta, studentTwoSidedP, welchTTest , mannWhitneyU } from '../../pipeline/analyses/statistics.ts';

describe('Student t and Welch test', () => {
  it('matches R for the two-sided Student-t tail', () => {
    expect(studentTwoSidedP(2, 10)).toBeCloseTo(0.07338803477, 9); // 2 * t.sf(2, 10)
    expect(studentTwoSidedP(3.5, 4.2)).toBeCloseTo(0.02299374246, 9);
    expect(studentTwoSidedP(-3.5, 4.2)).toBeCloseTo(studentTwoSidedP(3.5, 4.2), 12);
    expect(studentTwoSidedP(1.959964, 1e7)).toBeCloseTo(0.05, 5);
    expect(studentTwoSidedP(0, 7)).toBeCloseTo(1, 12);
    // Far tails keep their precision instead of rounding to 0: 2 * t.sf(12, 60) = 1.3786e-17.
    expect(studentTwoSidedP(12, 60) / 1.378632264e-17).toBeCloseTo(1, 6);
  });

  it('matches ttest_ind(equal_var=False) for an equal- and an unequal-variance case', () => {
    const equal = welchTTest([1, 2, 3], [4, 5, 6]);
    expect(equal.difference).toBe(-3);
    expect(equal.statistic).toBeCloseTo(-3.674235, 5);
    expect(equal.df).toBeCloseTo(4, 10);
    expect(equal.pValue).toBeCloseTo(0.02131164113, 9);
    const unequal = welchTTest([1, 2, 3, 4, 10], [2, 2.1, 2.2]);
    expect(unequal.statistic).toBeCloseTo(1.2008652007, 9);
    expect(unequal.df).toBeCloseTo(4.0106595177, 8);
    expect(unequal.pValue).toBeCloseTo(0.2958875766, 9);
  });

  it('handles constant samples without NaN', () => {
    expect(welchTTest([1, 1, 1], [1, 1])).toMatchObject({ statistic: 0, pValue: 1 });
    expect(welchTTest([1, 1, 1], [2, 2])).toMatchObject({ statistic: -Infinity, pValue: 0 });
    expect(() => welchTTest([1], [1, 2])).toThrow(RangeError);
  });

  it('has an accurate log-gamma and incomplete beta', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 10);
    expect(regularizedIncompleteBeta(0.3, 2, 3)).toBeCloseTo(0.3483, 12); // beta.cdf(0.3, 2, 3)
    expect(regularizedIncompleteBeta(0.5, 1, 1)).toBeCloseTo(0.5, 12);
  });
});

describe('multiple-testing adjustments', () => {
  const p = [0.01, 0.04, 0.03, 0.005, Number.NaN];
  it('Holm: min(1, (m − rank)·p), made monotone; NaN is not a test', () => {
    const adjusted = holmAdjust(p);
    [0.03, 0.06, 0.06, 0.02].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 12));
    expect(adjusted[4]).toBeNaN();
  });
  it('Benjamini–Hochberg matches false_discovery_control; NaN is not a test', () => {
    const adjusted = benjaminiHochbergAdjust(p);
    [0.02, 0.04, 0.04, 0.02].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 12));
    expect(adjusted[4]).toBeNaN();
  });
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('Mann–Whitney U', () => {
  it('matches SciPy (mannwhitneyu, exact and asymptotic)', () => {
    // scipy.stats.mannwhitneyu(..., method='exact'): U = 4, p = 0.19047619047619047
    expect(mannWhitneyU([1.1, 2.2, 3.5, 8], [4, 5, 6, 7, 9])).toMatchObject({ u: 4, method: 'exact' });
    expect(mannWhitneyU([1.1, 2.2, 3.5, 8], [4, 5, 6, 7, 9]).pValue).toBeCloseTo(0.19047619047619047, 12);
    // U = 17, p = 0.14160839160839161
    expect(mannWhitneyU([0.3, 1.2, 5, 7.5, 2.2, 9.1, 3.3], [4, 6.1, 0.9, 8, 10, 11, 12, 13.5, 1.7]).pValue).toBeCloseTo(0.14160839160839161, 12);
    // With ties, method='asymptotic' (continuity-corrected): U = 2, p = 0.10375367752098565
    const tied = mannWhitneyU([1, 2, 2, 3], [2, 4, 5, 6]);
    expect(tied).toMatchObject({ u: 2, method: 'normal approximation with tie correction' });
    expect(tied.pValue).toBeCloseTo(0.10375367752098565, 6);
  });
});
