import { describe, expect, it } from 'vitest';
import { fitIsotonicIncreasing, isotonicSse } from '../../pipeline/fit/isotonic.ts';
import { mulberry32 } from '../../pipeline/stats/random.ts';

describe('isotonic regression', () => {
  it('pools adjacent violators', () => {
    const fit = fitIsotonicIncreasing([1, 3, 2, 4]);
    expect(Array.from(fit.fitted)).toEqual([1, 2.5, 2.5, 4]);
    expect(fit.sse).toBeCloseTo(0.5, 12);
  });

  it('isotonicSse is exactly the SSE of the full fit, whatever the lengths called before', () => {
    const random = mulberry32(3);
    for (const n of [1, 2, 7, 200, 5, 64]) {
      const y = Float64Array.from({ length: n }, (_, i) => 0.01 * i + 0.3 * (random() - 0.5));
      expect(isotonicSse(y)).toBe(fitIsotonicIncreasing(y).sse);
    }
    expect(() => isotonicSse([])).toThrow();
  });
});
