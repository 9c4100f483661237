/** Seeded synthetic task-error curves of each behaviour, for testing the rules with known answers. */
import type { Behaviour } from '../../pipeline/ingest/types.ts';
import { mulberry32 } from '../../pipeline/stats/random.ts';

export interface SyntheticCurve {
  x: Float64Array;
  y: Float64Array;
  items: number;
}

/** Standard normal draws by Box–Muller from a seeded uniform source. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const SHAPES: Record<Behaviour, { truth: (x: number) => number; extraNoise: number; items: number }> = {
  // Error falls from chance (0.75) to 0.3 along an exponential in loss.
  predictable: { truth: (x) => 0.76 - 16.8 * Math.exp(-1.5 * x), extraNoise: 0, items: 2000 },
  // Error grows steadily as loss falls.
  inverse: { truth: (x) => 0.62 + (0.06 * (6 - x)) / 3.6, extraNoise: 0, items: 2000 },
  // No trend at all.
  trendless: { truth: () => 0.5, extraNoise: 0, items: 500 },
  // Rises then falls across the loss range.
  nonmonotonic: { truth: (x) => 0.5 + 0.1 * Math.sin((Math.PI * (x - 2.4)) / 3.6), extraNoise: 0, items: 1000 },
  // Flat at 1, a sharp drop around loss 4.2, then a plateau at 0.55.
  breakthrough: { truth: (x) => 0.55 + 0.45 / (1 + Math.exp(-6 * (x - 4.2))), extraNoise: 0, items: 1000 },
  // The predictable trend, buried in scatter far beyond sampling noise.
  noisy: { truth: (x) => 0.76 - 16.8 * Math.exp(-1.5 * x), extraNoise: 0.2, items: 2000 },
};

export function syntheticCurve(behaviour: Behaviour, seed: number, n = 104): SyntheticCurve {
  const random = mulberry32(seed);
  const shape = SHAPES[behaviour];
  const x = Float64Array.from({ length: n }, () => 2.4 + 3.6 * random());
  const y = x.map((xi) => {
    const p = shape.truth(xi);
    const sampling = Math.sqrt((p * (1 - p)) / shape.items) * normal(random);
    return Math.min(1, Math.max(0, p + sampling + shape.extraNoise * normal(random)));
  });
  return { x, y, items: shape.items };
}
