/**
 * Uncertainty by resampling runs (a cluster bootstrap): draw the runs with replacement (one draw
 * shared by every task, since the runs are shared), take every usable checkpoint of each drawn run,
 * refit and re-measure every task, and repeat. In a model-level study every model is its own run,
 * so this is the model bootstrap, draw for draw. Each replicate has its own seed derived from
 * (seed, replicate), so results do not depend on how replicates are split across worker threads.
 * The features of every replicate are kept, so any set of rule thresholds can be applied afterwards
 * without refitting (label stability, threshold sweeps).
 * A task is fitted on the drawn points where its error is known; a replicate in which it falls
 * below the sufficiency rule (or its x does not vary) is marked, not fitted.
 * Cost: replicates × tasks × one curve analysis of (points per run × runs) points.
 */
import { quantileSorted } from 'simple-statistics';
import { analyseSortedCurve, FEATURE_NAMES, packFeatures, sortOrder, type FeatureOptions, type TaskNoise } from '../fit/features.ts';
import type { Sufficiency } from '../fit/fit-stage.ts';
import type { Rule } from '../config/analysis-config.ts';
import { BEHAVIOURS, type Behaviour } from '../ingest/types.ts';
import { mulberry32 } from '../stats/random.ts';
import type { SameKeys } from '../util/types.ts';

/**
 * One curve set to resample: the shared x, one y per task (NaN where not evaluated) and the runs.
 * Plain data, so it can cross to a worker.
 */
export interface BootstrapJob {
  x: Float64Array;
  errors: Float64Array[];
  tasks: TaskNoise[];
  /**
   * The rows of run c are runRows[runStart[c] .. runStart[c + 1]), in row order. Omitted: every
   * row is its own run (the model bootstrap).
   */
  runStart?: Int32Array;
  runRows?: Int32Array;
  /** Omitted: every replicate is fitted whatever its size. */
  sufficiency?: Sufficiency;
  options: FeatureOptions;
  replicates: number;
  seed: number;
}

/**
 * Features of every (replicate, task), packed: row (r · tasks + t) holds FEATURE_NAMES.length values
 * then a status slot (STATUS_INSUFFICIENT when that replicate had too little data for the task).
 */
export interface ReplicateFeatures {
  replicates: number;
  tasks: number;
  values: Float64Array;
}

export const FEATURES_PER_ROW = FEATURE_NAMES.length + 1;
const STATUS = FEATURE_NAMES.length;
export const STATUS_INSUFFICIENT = 1;

/** A job's inputs for a key: texts, or typed arrays whose bytes count (exact values, not rounded ones). */
export type JobInput = string | ArrayBufferView;

/**
 * Everything a replicate's draw and the fits' settings depend on: the same for every task of a job.
 * With taskInputs(job, t) and the replicate count, everything the job's results depend on: the keys
 * of bootstrap-reuse.ts (which task results two jobs share) and of the job cache (bootstrap-pool.ts).
 */
export function drawInputs(job: BootstrapJob): JobInput[] {
  const { x, runStart, runRows, sufficiency, seed } = job;
  const { bounds, reversal, form } = job.options;
  return [JSON.stringify({ bounds, reversal, form: form ?? 'exponential', sufficiency: sufficiency ?? null, seed }), x, runStart ?? '-', runRows ?? '-'];
}

/** Everything task t's features depend on beyond the draw: its noise model and its errors. */
export function taskInputs(job: BootstrapJob, t: number): JobInput[] {
  const noise = job.tasks[t]!;
  return [`${noise.items ?? '-'}|${noise.errorScale ?? 1}`, job.errors[t]!];
}

// A field added to BootstrapJob, FeatureOptions or TaskNoise fails to compile here until the inputs
// above (and the replicate count, which the job cache adds) cover it.
const JOB_FIELDS_COVERED: SameKeys<keyof BootstrapJob, 'x' | 'runStart' | 'runRows' | 'sufficiency' | 'seed' | 'options' | 'tasks' | 'errors' | 'replicates'> = true;
const OPTIONS_COVERED: SameKeys<keyof FeatureOptions, 'bounds' | 'reversal' | 'form'> = true;
const NOISE_COVERED: SameKeys<keyof TaskNoise, 'items' | 'errorScale'> = true;
void [JOB_FIELDS_COVERED, OPTIONS_COVERED, NOISE_COVERED];

/** The seed of replicate r: a fixed mix of the job seed and r (Weyl sequence step). */
export function replicateSeed(seed: number, replicate: number): number {
  return (seed ^ Math.imul(replicate + 1, 0x9e3779b1)) >>> 0;
}

/** Group rows by run id (dense ids 0..count−1) into the job's runStart/runRows form. */
export function groupRuns(runOfRow: ArrayLike<number>, count: number): { runStart: Int32Array; runRows: Int32Array } {
  const runStart = new Int32Array(count + 1);
  for (let i = 0; i < runOfRow.length; i++) runStart[runOfRow[i]! + 1]!++;
  for (let c = 0; c < count; c++) runStart[c + 1]! += runStart[c]!;
  const next = runStart.slice(0, count);
  const runRows = new Int32Array(runOfRow.length);
  for (let i = 0; i < runOfRow.length; i++) runRows[next[runOfRow[i]!]!++] = i;
  return { runStart, runRows };
}

/** Compute replicates [from, to) of a job. */
export function bootstrapFeatures(job: BootstrapJob, from = 0, to = job.replicates): Float64Array {
  const n = job.x.length;
  const runStart = job.runStart ?? Int32Array.from({ length: n + 1 }, (_, i) => i);
  const runRows = job.runRows ?? Int32Array.from({ length: n }, (_, i) => i);
  const runs = runStart.length - 1;
  let largestRun = 0;
  for (let c = 0; c < runs; c++) largestRun = Math.max(largestRun, runStart[c + 1]! - runStart[c]!);
  const capacity = runs * largestRun;
  const tasks = job.tasks.length;
  const values = new Float64Array((to - from) * tasks * FEATURES_PER_ROW);
  const pick = new Int32Array(runs);
  const drawnRow = new Int32Array(capacity);
  const drawnRun = new Int32Array(capacity);
  const drawnX = new Float64Array(capacity);
  const xs = new Float64Array(capacity);
  const ys = new Float64Array(capacity);
  const seen = new Int32Array(runs).fill(-1);
  let seenStamp = 0;
  for (let r = from; r < to; r++) {
    const random = mulberry32(replicateSeed(job.seed, r));
    for (let c = 0; c < runs; c++) pick[c] = Math.floor(random() * runs);
    let m = 0;
    for (let c = 0; c < runs; c++) {
      const run = pick[c]!;
      for (let k = runStart[run]!; k < runStart[run + 1]!; k++) {
        drawnRow[m] = runRows[k]!;
        drawnRun[m] = run;
        drawnX[m] = job.x[runRows[k]!]!;
        m++;
      }
    }
    const order = sortOrder(drawnX.subarray(0, m));
    for (let t = 0; t < tasks; t++) {
      const errors = job.errors[t]!;
      const offset = ((r - from) * tasks + t) * FEATURES_PER_ROW;
      let points = 0;
      let distinctRuns = 0;
      seenStamp++;
      for (let i = 0; i < m; i++) {
        const j = order[i]!;
        const y = errors[drawnRow[j]!]!;
        if (Number.isNaN(y)) continue;
        xs[points] = drawnX[j]!;
        ys[points] = y;
        points++;
        if (seen[drawnRun[j]!] !== seenStamp) {
          seen[drawnRun[j]!] = seenStamp;
          distinctRuns++;
        }
      }
      const rule = job.sufficiency;
      if (rule && (points < rule.minPoints || distinctRuns < rule.minRuns || xs[0] === xs[points - 1])) {
        values.fill(Number.NaN, offset, offset + STATUS);
        values[offset + STATUS] = STATUS_INSUFFICIENT;
        continue;
      }
      const { features } = analyseSortedCurve(xs.subarray(0, points), ys.subarray(0, points), job.tasks[t]!, job.options);
      packFeatures(features, values, offset);
    }
  }
  return values;
}

export interface ReplicateLabels {
  /** Number of predictable tasks in each replicate (over the tasks kept). */
  predictable: number[];
  /** Per task: how many replicates gave each behaviour. */
  behaviourCounts: Record<Behaviour, number>[];
  /** Per task: how many replicates had too little data to fit it (counted as not predictable). */
  insufficient: number[];
}

/** Apply `rules` to every replicate; `keep` selects the tasks that count (default all). */
export function classifyReplicates(features: ReplicateFeatures, rules: readonly Rule[], keep?: readonly boolean[]): ReplicateLabels {
  const predictable: number[] = [];
  const behaviourCounts = Array.from({ length: features.tasks }, () => Object.fromEntries(BEHAVIOURS.map((b) => [b, 0])) as Record<Behaviour, number>);
  // Sweeps classify millions of rows: the rules read the packed values in place (packedClassifier).
  const classifyAt = packedClassifier(rules);
  const insufficient = new Array<number>(features.tasks).fill(0);
  for (let r = 0; r < features.replicates; r++) {
    let count = 0;
    for (let t = 0; t < features.tasks; t++) {
      if (keep && !keep[t]) continue;
      const offset = (r * features.tasks + t) * FEATURES_PER_ROW;
      if (features.values[offset + STATUS] === STATUS_INSUFFICIENT) {
        insufficient[t]!++;
        continue;
      }
      const behaviour = rules[classifyAt(features.values, offset)]!.behaviour;
      behaviourCounts[t]![behaviour]++;
      if (behaviour === 'predictable') count++;
    }
    predictable.push(count);
  }
  return { predictable, behaviourCounts, insufficient };
}

/**
 * classify() (classify/rules.ts) over a packed features row: the index of the first rule whose
 * conditions hold ('all', or 'any'; none: always), each condition comparing the feature at its packed
 * position with its threshold exactly as conditionHolds does (NaN satisfies none).
 */
export function packedClassifier(rules: readonly Rule[]): (values: Float64Array, offset: number) => number {
  const compiled = rules.map((rule) => ({
    all: rule.match === 'all',
    conditions: rule.conditions.map((c) => {
      const feature = (FEATURE_NAMES as readonly string[]).indexOf(c.feature);
      if (feature < 0) throw new Error(`classifyReplicates: unknown feature ${c.feature}`);
      return { feature, op: c.op, threshold: c.threshold };
    }),
  }));
  return (values, offset) => {
    for (let r = 0; r < compiled.length; r++) {
      const { all, conditions } = compiled[r]!;
      if (conditions.length === 0) return r;
      let holds = all;
      for (let k = 0; k < conditions.length; k++) {
        const { feature, op, threshold } = conditions[k]!;
        const value = values[offset + feature]!;
        const met = op === '<' ? value < threshold : op === '<=' ? value <= threshold : op === '>' ? value > threshold : value >= threshold;
        if (met !== all) {
          holds = met;
          break;
        }
      }
      if (holds) return r;
    }
    throw new Error('classify: no rule matched; the last rule must have no conditions');
  };
}

/** Percentile interval (e.g. 0.95 → 2.5th and 97.5th percentiles) of the replicate values. */
export function percentileInterval(values: readonly number[], level: number): [number, number] {
  // simple-statistics' quantileSorted interpolates linearly between order statistics (R type 7, NumPy's default).
  const sorted = [...values].sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return [quantileSorted(sorted, tail), quantileSorted(sorted, 1 - tail)];
}
