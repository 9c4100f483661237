/**
 * Bootstrap jobs that reuse features already computed. Replicate r of a job draws its runs from
 * its own seed (bootstrap.ts) and the rows' run grouping only, and each task's features depend on
 * that draw and the task's own y and noise only (fits do not depend on which fits came before; see
 * fit/exponential.ts). So task t of replicate r is the same computation, with the same result
 * bit for bit, in every job that has the same x, run grouping, sufficiency rule, fit options and
 * seed, and the same y and noise for t: the headline bootstrap's 1000 replicates hold a
 * sensitivity variant's first 200 for every task the variant leaves unchanged (e.g. a task with no
 * chance level under chance normalisation), and two variants that pick the same rows on the same x
 * hold each other's. Such (job, task) pairs are copied, and only the rest is computed.
 */
import { drawInputs, FEATURES_PER_ROW, taskInputs, type BootstrapJob, type JobInput, type ReplicateFeatures } from './bootstrap.ts';
import { runBootstrapJobs } from './bootstrap-pool.ts';

/** Features computed earlier for a job (e.g. the headline bootstrap), to copy from. */
export interface KnownFeatures {
  job: BootstrapJob;
  features: ReplicateFeatures;
}

/** A key as text: base64 of a typed array's bytes. */
const keyText = (inputs: readonly JobInput[]): string => inputs.map((input) => (typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('base64'))).join('|');
const drawKey = (job: BootstrapJob): string => keyText(drawInputs(job));
const taskKey = (job: BootstrapJob, t: number): string => keyText(taskInputs(job, t));

interface Source {
  features: ReplicateFeatures;
  task: number;
}

/**
 * runBootstrapJobs for `jobs`, copying every (job, task) whose result `known` or an earlier job of
 * `jobs` already holds for enough replicates; identical results to computing every job in full.
 * onProgress counts the replicates of the jobs that are computed.
 */
export async function runBootstrapJobsReusing(jobs: readonly BootstrapJob[], known: readonly KnownFeatures[], onProgress?: (done: number, total: number) => void): Promise<{ features: ReplicateFeatures[]; reusedTasks: number; computedTasks: number }> {
  const sources = new Map<string, Source>();
  const remember = (draw: string, job: BootstrapJob, features: ReplicateFeatures, task: number): void => {
    const key = `${draw}#${taskKey(job, task)}`;
    const existing = sources.get(key);
    if (!existing || existing.features.replicates < features.replicates) sources.set(key, { features, task });
  };
  for (const { job, features } of known) {
    const draw = drawKey(job);
    for (let t = 0; t < job.tasks.length; t++) remember(draw, job, features, t);
  }

  // Per job: where each task comes from (a known source, an earlier task of `jobs`, or the reduced job computed here).
  type Plan = { draw: string; copied: (Source | undefined)[]; pendingFrom: ({ job: number; task: number } | undefined)[]; computed: number[] };
  const plans: Plan[] = [];
  const reduced: BootstrapJob[] = [];
  const reducedOf: number[] = [];
  const pending = new Map<string, { job: number; task: number }>();
  let reusedTasks = 0;
  let computedTasks = 0;
  jobs.forEach((job, j) => {
    const draw = drawKey(job);
    const plan: Plan = { draw, copied: [], pendingFrom: [], computed: [] };
    for (let t = 0; t < job.tasks.length; t++) {
      const key = `${draw}#${taskKey(job, t)}`;
      const source = sources.get(key);
      const earlier = pending.get(key);
      if (source && source.features.replicates >= job.replicates) {
        plan.copied[t] = source;
        reusedTasks++;
      } else if (earlier && jobs[earlier.job]!.replicates >= job.replicates) {
        plan.pendingFrom[t] = earlier;
        reusedTasks++;
      } else {
        pending.set(key, { job: j, task: t });
        plan.computed.push(t);
        computedTasks++;
      }
    }
    if (plan.computed.length > 0) {
      reducedOf[j] = reduced.length;
      reduced.push({ ...job, errors: plan.computed.map((t) => job.errors[t]!), tasks: plan.computed.map((t) => job.tasks[t]!) });
    }
    plans.push(plan);
  });

  const computed = await runBootstrapJobs(reduced, onProgress);
  const features: ReplicateFeatures[] = jobs.map((job) => ({ replicates: job.replicates, tasks: job.tasks.length, values: new Float64Array(job.replicates * job.tasks.length * FEATURES_PER_ROW) }));
  // Where task t of job j was computed: its reduced job's features and column.
  const computedAt = (j: number, t: number): Source => ({ features: computed[reducedOf[j]!]!, task: plans[j]!.computed.indexOf(t) });
  jobs.forEach((job, j) => {
    const plan = plans[j]!;
    for (let t = 0; t < job.tasks.length; t++) {
      const earlier = plan.pendingFrom[t];
      const source = plan.copied[t] ?? (earlier ? computedAt(earlier.job, earlier.task) : computedAt(j, t));
      copyTask(source, features[j]!, t);
    }
  });
  return { features, reusedTasks, computedTasks };
}

/** Copy one task's rows of the first `into.replicates` replicates. */
function copyTask(from: Source, into: ReplicateFeatures, task: number): void {
  const source = from.features;
  for (let r = 0; r < into.replicates; r++) {
    const at = (r * source.tasks + from.task) * FEATURES_PER_ROW;
    into.values.set(source.values.subarray(at, at + FEATURES_PER_ROW), (r * into.tasks + task) * FEATURES_PER_ROW);
  }
}
