/**
 * Uncertainty of the fraction predictable: resample models with replacement (the same draw for
 * every task, since the models are shared), refit and reclassify every task, and repeat.
 * Seeded, so the interval is the same on every run. Cost: replicates × tasks × one curve analysis.
 */
import { analyseCurve, type FeatureOptions } from '../classify/features.ts';
import type { Rule } from '../classify/config.ts';
import { classify } from '../classify/rules.ts';
import type { Behaviour, TaskMetadata } from '../ingest/types.ts';
import { BEHAVIOURS } from '../ingest/types.ts';
import { mulberry32 } from '../stats/random.ts';

export interface BootstrapInput {
  x: Float64Array;
  /** Task error per task, aligned with `tasks`. */
  errors: Float64Array[];
  tasks: TaskMetadata[];
  rules: readonly Rule[];
  options: FeatureOptions;
  replicates: number;
  seed: number;
}

export interface BootstrapResult {
  /** Number of predictable tasks in each replicate. */
  predictable: number[];
  /** Per task: how many replicates gave each behaviour. */
  behaviourCounts: Record<Behaviour, number>[];
}

export function bootstrap(input: BootstrapInput, onProgress: (done: number) => void = () => {}): BootstrapResult {
  const n = input.x.length;
  const random = mulberry32(input.seed);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const predictable: number[] = [];
  const behaviourCounts = input.tasks.map(() => Object.fromEntries(BEHAVIOURS.map((b) => [b, 0])) as Record<Behaviour, number>);
  const draw = new Int32Array(n);
  for (let r = 0; r < input.replicates; r++) {
    for (let i = 0; i < n; i++) draw[i] = Math.floor(random() * n);
    for (let i = 0; i < n; i++) xs[i] = input.x[draw[i]!]!;
    let count = 0;
    input.tasks.forEach((task, t) => {
      const errors = input.errors[t]!;
      for (let i = 0; i < n; i++) ys[i] = errors[draw[i]!]!;
      const { behaviour } = classify(analyseCurve(xs, ys, task.items, input.options).features, input.rules);
      behaviourCounts[t]![behaviour]++;
      if (behaviour === 'predictable') count++;
    });
    predictable.push(count);
    if ((r + 1) % 50 === 0 || r + 1 === input.replicates) onProgress(r + 1);
  }
  return { predictable, behaviourCounts };
}

/** Percentile interval (e.g. 0.95 → 2.5th and 97.5th percentiles) of the replicate values. */
export function percentileInterval(values: readonly number[], level: number): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => {
    const position = q * (sorted.length - 1);
    const lo = Math.floor(position);
    const hi = Math.ceil(position);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (position - lo);
  };
  const tail = (1 - level) / 2;
  return [at(tail), at(1 - tail)];
}
