import { describe, expect, it } from 'vitest';
import { itemsFromStandardError, itemsFromStandardErrors } from '../../pipeline/import/standard-errors.ts';

/** The harness's standard error of a mean of n 0/1 scores (sample variance). */
const se = (p: number, n: number): number => Math.sqrt((p * (1 - p)) / (n - 1));

describe('item counts from standard errors', () => {
  it('recovers n from one score and its standard error', () => {
    expect(itemsFromStandardError(0.5, se(0.5, 1000))).toBe(1000);
    expect(itemsFromStandardError(13 / 104, se(13 / 104, 104))).toBe(104);
    expect(itemsFromStandardError(0.2, se(0.2, 14042))).toBe(14042);
  });

  it('says nothing for scores at 0 or 1, a zero error or a count that is not whole', () => {
    expect(itemsFromStandardError(0, 0)).toBeUndefined();
    expect(itemsFromStandardError(1, 0.1)).toBeUndefined();
    expect(itemsFromStandardError(0.3, 0)).toBeUndefined();
    expect(itemsFromStandardError(0.5, 0.0338)).toBeUndefined(); // 219.8: an averaged error, not a binomial one
  });

  it('keeps a count only when every informative cell agrees', () => {
    expect(itemsFromStandardErrors([[0.3, se(0.3, 500)], [0, 0], [0.61, se(0.61, 500)]])).toBe(500);
    expect(itemsFromStandardErrors([[0.3, se(0.3, 500)], [0.3, se(0.3, 501)]])).toBeUndefined();
    expect(itemsFromStandardErrors([[0, 0], [1, 0]])).toBeUndefined();
    expect(itemsFromStandardErrors([])).toBeUndefined();
  });
});
