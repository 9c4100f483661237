/**
 * How strongly a curve reverses direction: the nonmonotonic feature.
 * Models are grouped into equal-width bins of the scale variable (small bins merged into their
 * neighbour so every mean rests on enough models); a reversal is a rise between two bins followed
 * by a fall to a later bin, or the opposite. Each leg is a z score: the difference of bin means
 * over its standard error, using the larger of the scatter seen in the bin and the sampling noise.
 * The score is the best reversal's weaker leg, so both legs must be real.
 * Cost: O(n + bins³).
 */
export interface ReversalOptions {
  bins: number;
  minPointsPerBin: number;
}

export interface BinSummary {
  xLow: number;
  xHigh: number;
  count: number;
  mean: number;
  standardError: number;
}

// Scratch space for the bins of one curve (the bootstrap scores hundreds of thousands of curves).
let capacity = 0;
let COUNTS = new Int32Array(0);
let STARTS = new Int32Array(0);
let LENGTHS = new Int32Array(0);
let MEANS = new Float64Array(0);
let ERRORS = new Float64Array(0);
let Z = new Float64Array(0);

/** Bin the curve into the scratch arrays: bin b is points STARTS[b] .. + LENGTHS[b], mean MEANS[b], standard error ERRORS[b]. Returns the bin count. */
function fillBins(xSorted: ArrayLike<number>, ySorted: ArrayLike<number>, noise: number, options: ReversalOptions): number {
  const n = xSorted.length;
  const bins = options.bins;
  if (capacity < bins) {
    capacity = bins;
    COUNTS = new Int32Array(bins);
    STARTS = new Int32Array(bins);
    LENGTHS = new Int32Array(bins);
    MEANS = new Float64Array(bins);
    ERRORS = new Float64Array(bins);
  }
  const lo = xSorted[0]!;
  const hi = xSorted[n - 1]!;
  const width = (hi - lo) / bins || 1;
  // x is sorted, so every bin (and every merger of neighbouring bins) is a run of consecutive points.
  const counts = COUNTS.fill(0, 0, bins);
  for (let i = 0; i < n; i++) counts[Math.min(bins - 1, Math.floor((xSorted[i]! - lo) / width))]!++;
  let groups = 0;
  let position = 0;
  for (let g = 0; g < bins; g++) {
    if (groups > 0 && LENGTHS[groups - 1]! < options.minPointsPerBin) LENGTHS[groups - 1]! += counts[g]!;
    else {
      STARTS[groups] = position;
      LENGTHS[groups] = counts[g]!;
      groups++;
    }
    position += counts[g]!;
  }
  if (groups > 1 && LENGTHS[groups - 1]! < options.minPointsPerBin) {
    LENGTHS[groups - 2]! += LENGTHS[groups - 1]!;
    groups--;
  }
  let kept = 0;
  for (let b = 0; b < groups; b++) {
    const count = LENGTHS[b]!;
    if (count === 0) continue;
    const start = STARTS[b]!;
    const end = start + count;
    let mean = 0;
    for (let i = start; i < end; i++) mean += ySorted[i]!;
    mean /= count;
    let ss = 0;
    for (let i = start; i < end; i++) ss += (ySorted[i]! - mean) ** 2;
    const scatter = count > 1 ? Math.sqrt(ss / (count - 1)) : noise;
    STARTS[kept] = start;
    LENGTHS[kept] = count;
    MEANS[kept] = mean;
    ERRORS[kept] = Math.max(scatter, noise) / Math.sqrt(count);
    kept++;
  }
  return kept;
}

export function binCurve(xSorted: ArrayLike<number>, ySorted: ArrayLike<number>, noise: number, options: ReversalOptions): BinSummary[] {
  const count = fillBins(xSorted, ySorted, noise, options);
  return Array.from({ length: count }, (_, b) => ({ xLow: xSorted[STARTS[b]!]!, xHigh: xSorted[STARTS[b]! + LENGTHS[b]! - 1]!, count: LENGTHS[b]!, mean: MEANS[b]!, standardError: ERRORS[b]! }));
}

/** The reversal score of a curve sorted by x: reversalScore(binCurve(…)) without building the bins. */
export function curveReversalScore(xSorted: ArrayLike<number>, ySorted: ArrayLike<number>, noise: number, options: ReversalOptions): number {
  return bestReversal(fillBins(xSorted, ySorted, noise, options), MEANS, ERRORS);
}

export function reversalScore(bins: readonly BinSummary[]): number {
  return bestReversal(
    bins.length,
    bins.map((b) => b.mean),
    bins.map((b) => b.standardError),
  );
}

function bestReversal(m: number, means: ArrayLike<number>, errors: ArrayLike<number>): number {
  // z of every ordered pair of bins, computed once (the triple loop below reads each many times).
  if (Z.length < m * m) Z = new Float64Array(m * m);
  const z = Z;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) z[i * m + j] = (means[j]! - means[i]!) / Math.hypot(errors[i]!, errors[j]!);
  }
  let best = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const first = z[i * m + j]!;
      for (let k = j + 1; k < m; k++) {
        const second = z[j * m + k]!;
        best = Math.max(best, Math.min(first, -second), Math.min(-first, second));
      }
    }
  }
  return best;
}
