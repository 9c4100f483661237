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
  const groups: number[][] = Array.from({ length: options.bins }, () => []);
  for (let i = 0; i < n; i++) groups[Math.min(options.bins - 1, Math.floor((xSorted[i]! - lo) / width))]!.push(i);
  const merged: number[][] = [];
  for (const group of groups) {
    const last = merged[merged.length - 1];
    if (last && last.length < options.minPointsPerBin) last.push(...group);
    else merged.push([...group]);
  }
  if (merged.length > 1 && merged[merged.length - 1]!.length < options.minPointsPerBin) {
    const last = merged.pop()!;
    merged[merged.length - 1]!.push(...last);
  }
  return merged
    .filter((group) => group.length > 0)
    .map((group) => {
      let mean = 0;
      for (const i of group) mean += ySorted[i]!;
      mean /= group.length;
      let ss = 0;
      for (const i of group) ss += (ySorted[i]! - mean) ** 2;
      const scatter = group.length > 1 ? Math.sqrt(ss / (group.length - 1)) : noise;
      return {
        xLow: xSorted[group[0]!]!,
        xHigh: xSorted[group[group.length - 1]!]!,
        count: group.length,
        mean,
        standardError: Math.max(scatter, noise) / Math.sqrt(group.length),
      };
    });
}

export function reversalScore(bins: readonly BinSummary[]): number {
  let best = 0;
  const z = (a: BinSummary, b: BinSummary): number => (b.mean - a.mean) / Math.hypot(a.standardError, b.standardError);
  for (let i = 0; i < bins.length; i++) {
    for (let j = i + 1; j < bins.length; j++) {
      const first = z(bins[i]!, bins[j]!);
      for (let k = j + 1; k < bins.length; k++) {
        const second = z(bins[j]!, bins[k]!);
        best = Math.max(best, Math.min(first, -second), Math.min(-first, second));
      }
    }
  }
  return best;
}
