/**
 * Uncertainty by resampling models: draw the models with replacement (one draw shared by every
 * task, since the models are shared), refit and re-measure every task, and repeat. Each replicate
 * has its own seed derived from (seed, replicate), so results do not depend on how replicates are
 * split across worker threads. The features of every replicate are kept, so any set of rule
 * thresholds can be applied afterwards without refitting (label stability, threshold sweeps).
 * Cost: replicates × tasks × one curve analysis.
 */
import { quantileSorted } from 'simple-statistics';
import { analyseSortedCurve, FEATURE_NAMES, packFeatures, sortOrder, unpackFeaturesInto, type FeatureOptions, type TaskFeatures, type TaskNoise } from '../classify/features.ts';
import type { Rule } from '../classify/config.ts';
import { classify } from '../classify/rules.ts';
import { BEHAVIOURS, type Behaviour } from '../ingest/types.ts';
import { mulberry32 } from '../stats/random.ts';

/** One curve set to resample: the shared x and one y per task. Plain data, so it can cross to a worker. */
export interface BootstrapJob {
  x: Float64Array;
  errors: Float64Array[];
  tasks: TaskNoise[];
  options: FeatureOptions;
  replicates: number;
  seed: number;
}

/** Features of every (replicate, task), packed: row (r · tasks + t) holds FEATURE_NAMES.length values. */
export interface ReplicateFeatures {
  replicates: number;
  tasks: number;
  values: Float64Array;
}

export const FEATURES_PER_ROW = FEATURE_NAMES.length;

/** The seed of replicate r: a fixed mix of the job seed and r (Weyl sequence step). */
export function replicateSeed(seed: number, replicate: number): number {
  return (seed ^ Math.imul(replicate + 1, 0x9e3779b1)) >>> 0;
}

/** Compute replicates [from, to) of a job. */
export function bootstrapFeatures(job: BootstrapJob, from = 0, to = job.replicates): Float64Array {
  const n = job.x.length;
  const tasks = job.tasks.length;
  const values = new Float64Array((to - from) * tasks * FEATURES_PER_ROW);
  const draw = new Int32Array(n);
  const drawnX = new Float64Array(n);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let r = from; r < to; r++) {
    const random = mulberry32(replicateSeed(job.seed, r));
    for (let i = 0; i < n; i++) draw[i] = Math.floor(random() * n);
    for (let i = 0; i < n; i++) drawnX[i] = job.x[draw[i]!]!;
    const order = sortOrder(drawnX);
    for (let i = 0; i < n; i++) xs[i] = drawnX[order[i]!]!;
    for (let t = 0; t < tasks; t++) {
      const errors = job.errors[t]!;
      for (let i = 0; i < n; i++) ys[i] = errors[draw[order[i]!]!]!;
      const { features } = analyseSortedCurve(xs, ys, job.tasks[t]!, job.options);
      packFeatures(features, values, ((r - from) * tasks + t) * FEATURES_PER_ROW);
    }
  }
  return values;
}

export interface ReplicateLabels {
  /** Number of predictable tasks in each replicate (over the tasks kept). */
  predictable: number[];
  /** Per task: how many replicates gave each behaviour. */
  behaviourCounts: Record<Behaviour, number>[];
}

/** Apply `rules` to every replicate; `keep` selects the tasks that count (default all). */
export function classifyReplicates(features: ReplicateFeatures, rules: readonly Rule[], keep?: readonly boolean[]): ReplicateLabels {
  const predictable: number[] = [];
  const behaviourCounts = Array.from({ length: features.tasks }, () => Object.fromEntries(BEHAVIOURS.map((b) => [b, 0])) as Record<Behaviour, number>);
  // One features object, refilled per (replicate, task): sweeps classify millions of rows.
  const row = {} as TaskFeatures;
  for (let r = 0; r < features.replicates; r++) {
    let count = 0;
    for (let t = 0; t < features.tasks; t++) {
      if (keep && !keep[t]) continue;
      const { behaviour } = classify(unpackFeaturesInto(features.values, (r * features.tasks + t) * FEATURES_PER_ROW, row), rules);
      behaviourCounts[t]![behaviour]++;
      if (behaviour === 'predictable') count++;
    }
    predictable.push(count);
  }
  return { predictable, behaviourCounts };
}

/** Percentile interval (e.g. 0.95 → 2.5th and 97.5th percentiles) of the replicate values. */
export function percentileInterval(values: readonly number[], level: number): [number, number] {
  // simple-statistics' quantileSorted interpolates linearly between order statistics (R type 7, NumPy's default).
  const sorted = [...values].sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return [quantileSorted(sorted, tail), quantileSorted(sorted, 1 - tail)];
}
