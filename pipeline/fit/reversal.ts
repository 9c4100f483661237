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

export function binCurve(xSorted: ArrayLike<number>, ySorted: ArrayLike<number>, noise: number, options: ReversalOptions): BinSummary[] {
  const n = xSorted.length;
  const lo = xSorted[0]!;
  const hi = xSorted[n - 1]!;
  const width = (hi - lo) / options.bins || 1;
  // x is sorted, so every bin (and every merger of neighbouring bins) is a run of consecutive points.
  const counts = new Int32Array(options.bins);
  for (let i = 0; i < n; i++) counts[Math.min(options.bins - 1, Math.floor((xSorted[i]! - lo) / width))]!++;
  const starts: number[] = [];
  const lengths: number[] = [];
  let position = 0;
  for (let g = 0; g < options.bins; g++) {
    const last = lengths.length - 1;
    if (last >= 0 && lengths[last]! < options.minPointsPerBin) lengths[last]! += counts[g]!;
    else {
      starts.push(position);
      lengths.push(counts[g]!);
    }
    position += counts[g]!;
  }
  if (lengths.length > 1 && lengths[lengths.length - 1]! < options.minPointsPerBin) {
    lengths[lengths.length - 2]! += lengths.pop()!;
    starts.pop();
  }
  const bins: BinSummary[] = [];
  for (let b = 0; b < lengths.length; b++) {
    const count = lengths[b]!;
    if (count === 0) continue;
    const start = starts[b]!;
    const end = start + count;
    let mean = 0;
    for (let i = start; i < end; i++) mean += ySorted[i]!;
    mean /= count;
    let ss = 0;
    for (let i = start; i < end; i++) ss += (ySorted[i]! - mean) ** 2;
    const scatter = count > 1 ? Math.sqrt(ss / (count - 1)) : noise;
    bins.push({ xLow: xSorted[start]!, xHigh: xSorted[end - 1]!, count, mean, standardError: Math.max(scatter, noise) / Math.sqrt(count) });
  }
  return bins;
}

export function reversalScore(bins: readonly BinSummary[]): number {
  const m = bins.length;
  // z of every ordered pair of bins, computed once (the triple loop below reads each many times).
  const z = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) z[i * m + j] = (bins[j]!.mean - bins[i]!.mean) / Math.hypot(bins[i]!.standardError, bins[j]!.standardError);
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
