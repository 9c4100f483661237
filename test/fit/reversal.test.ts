import { describe, expect, it } from 'vitest';
import { binCurve, curveReversalScore, reversalScore } from '../../pipeline/fit/reversal.ts';
import { mulberry32 } from '../../pipeline/stats/random.ts';

const options = { bins: 8, minPointsPerBin: 5 };

/** The definition, written plainly: equal-width bins, small ones merged into the previous (the last into the one before). */
function referenceScore(x: Float64Array, y: Float64Array, noise: number, { bins, minPointsPerBin }: typeof options): number {
  const width = (x[x.length - 1]! - x[0]!) / bins || 1;
  const groups: number[][] = [];
  const members: number[][] = Array.from({ length: bins }, () => []);
  x.forEach((v, i) => members[Math.min(bins - 1, Math.floor((v - x[0]!) / width))]!.push(i));
  for (const bin of members) {
    const last = groups[groups.length - 1];
    if (last && last.length < minPointsPerBin) last.push(...bin);
    else groups.push([...bin]);
  }
  if (groups.length > 1 && groups[groups.length - 1]!.length < minPointsPerBin) groups[groups.length - 2]!.push(...groups.pop()!);
  const summaries = groups
    .filter((g) => g.length > 0)
    .map((g) => {
      const mean = g.reduce((s, i) => s + y[i]!, 0) / g.length;
      const scatter = g.length > 1 ? Math.sqrt(g.reduce((s, i) => s + (y[i]! - mean) ** 2, 0) / (g.length - 1)) : noise;
      return { mean, se: Math.max(scatter, noise) / Math.sqrt(g.length) };
    });
  const z = (i: number, j: number) => (summaries[j]!.mean - summaries[i]!.mean) / Math.hypot(summaries[i]!.se, summaries[j]!.se);
  let best = 0;
  for (let i = 0; i < summaries.length; i++)
    for (let j = i + 1; j < summaries.length; j++)
      for (let k = j + 1; k < summaries.length; k++) best = Math.max(best, Math.min(z(i, j), -z(j, k)), Math.min(-z(i, j), z(j, k)));
  return best;
}

describe('reversal score', () => {
  it('scores a rise then a fall, and not a steady trend', () => {
    const x = Float64Array.from({ length: 60 }, (_, i) => i);
    const hump = Float64Array.from(x, (v) => (v < 30 ? v : 60 - v) / 30);
    const line = Float64Array.from(x, (v) => v / 60);
    expect(curveReversalScore(x, hump, 0.01, options)).toBeGreaterThan(10);
    expect(curveReversalScore(x, line, 0.01, options)).toBe(0);
  });

  it('curveReversalScore and reversalScore(binCurve(…)) follow the definition, whatever curves came before', () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 3 + Math.floor(random() * 120);
      const x = Float64Array.from({ length: n }, () => random() * 4).sort();
      if (trial % 10 === 0) x.fill(x[0]!); // every x equal: one bin
      const y = Float64Array.from(x, (v) => Math.sin(v * 3) * 0.2 + random() * 0.1);
      const noise = random() * 0.05;
      const bins = { bins: 2 + Math.floor(random() * 10), minPointsPerBin: 1 + Math.floor(random() * 8) };
      const expected = referenceScore(x, y, noise, bins);
      expect(curveReversalScore(x, y, noise, bins)).toBeCloseTo(expected, 12);
      expect(reversalScore(binCurve(x, y, noise, bins))).toBe(curveReversalScore(x, y, noise, bins));
    }
  });
});
