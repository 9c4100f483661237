/**
 * Per-point sampling noise of a task-error curve, the yardstick every rule measures against.
 * With n items, a point with accuracy p has binomial noise sqrt(p(1−p)/n); without an item count
 * we fall back to the first-difference estimate of scatter along the sorted curve (which a smooth
 * trend barely inflates). Cost: O(n).
 * @example binomialNoise(Float64Array.of(0.5, 0.5), 100) // 0.05
 */
export function binomialNoise(errorSorted: ArrayLike<number>, items: number): number {
  const floor = (1 / items) * (1 - 1 / items); // a 0% or 100% score still carries one item's worth of noise
  let sum = 0;
  for (let i = 0; i < errorSorted.length; i++) {
    const p = errorSorted[i]!;
    sum += Math.max(p * (1 - p), floor) / items;
  }
  return Math.sqrt(sum / errorSorted.length);
}

export function differenceNoise(errorSorted: ArrayLike<number>): number {
  const n = errorSorted.length;
  let sum = 0;
  for (let i = 1; i < n; i++) {
    const d = errorSorted[i]! - errorSorted[i - 1]!;
    sum += d * d;
  }
  return Math.sqrt(sum / (2 * Math.max(1, n - 1)));
}

/** Smallest noise returned, so ratios to it stay finite on perfectly flat curves. */
const NOISE_FLOOR = 1e-9;

/** Binomial noise when the item count is known, else the first-difference estimate; never below NOISE_FLOOR. */
export function sampleNoise(errorSorted: ArrayLike<number>, items?: number): number {
  return Math.max(items ? binomialNoise(errorSorted, items) : differenceNoise(errorSorted), NOISE_FLOOR);
}
