/**
 * Monotone (isotonic) least-squares regression by pool-adjacent-violators, for points already
 * sorted by x. This is the most flexible monotone shape: if even it explains much more than the
 * exponential, the exponential's shape is wrong for the task (used by the breakthrough rule).
 * Cost: O(n). @throws on empty input.
 * @example fitIsotonicIncreasing([1, 3, 2, 4]).fitted // [1, 2.5, 2.5, 4]
 */
export interface IsotonicFit {
  fitted: Float64Array;
  sse: number;
}

let SUMS = new Float64Array(0);
let COUNTS = new Float64Array(0);

/** Pool adjacent violators into the scratch blocks; returns the number of blocks. */
function poolBlocks(ySorted: ArrayLike<number>): number {
  const n = ySorted.length;
  if (n === 0) throw new Error('fitIsotonicIncreasing requires at least one point');
  if (SUMS.length < n) {
    SUMS = new Float64Array(Math.max(n, 2 * SUMS.length));
    COUNTS = new Float64Array(SUMS.length);
  }
  // Blocks as parallel arrays: sum of values, count; merged while their means violate the order.
  const sums = SUMS;
  const counts = COUNTS;
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    sums[blocks] = ySorted[i]!;
    counts[blocks] = 1;
    blocks++;
    while (blocks > 1 && sums[blocks - 2]! / counts[blocks - 2]! > sums[blocks - 1]! / counts[blocks - 1]!) {
      sums[blocks - 2]! += sums[blocks - 1]!;
      counts[blocks - 2]! += counts[blocks - 1]!;
      blocks--;
    }
  }
  return blocks;
}

export function fitIsotonicIncreasing(ySorted: ArrayLike<number>): IsotonicFit {
  const blocks = poolBlocks(ySorted);
  const sums = SUMS;
  const counts = COUNTS;
  const fitted = new Float64Array(ySorted.length);
  let sse = 0;
  let i = 0;
  for (let b = 0; b < blocks; b++) {
    const mean = sums[b]! / counts[b]!;
    for (let c = 0; c < counts[b]!; c++, i++) {
      fitted[i] = mean;
      const r = ySorted[i]! - mean;
      sse += r * r;
    }
  }
  return { fitted, sse };
}

/**
 * Just the SSE of {@link fitIsotonicIncreasing} (the same number), without allocating: the bootstrap
 * asks for it on every curve of every replicate.
 * Cost: O(n). @throws on empty input.
 * @example isotonicSse([1, 3, 2, 4]) // 0.5
 */
export function isotonicSse(ySorted: ArrayLike<number>): number {
  const blocks = poolBlocks(ySorted);
  const sums = SUMS;
  const counts = COUNTS;
  let sse = 0;
  let i = 0;
  for (let b = 0; b < blocks; b++) {
    const mean = sums[b]! / counts[b]!;
    for (let c = 0; c < counts[b]!; c++, i++) {
      const r = ySorted[i]! - mean;
      sse += r * r;
    }
  }
  return sse;
}
