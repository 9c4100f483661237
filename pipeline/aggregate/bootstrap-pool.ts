/**
 * Runs bootstrap jobs on worker threads (one per core, or BOOTSTRAP_WORKERS when set), each
 * job split into chunks of replicates that the workers take in turn; the workers stay up between
 * runs. Results are identical to the single-thread run because each replicate carries its own seed. Falls back to the current thread when workers are off (=0/1).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { bootstrapFeatures, drawInputs, taskInputs, type BootstrapJob, type JobInput, type ReplicateFeatures, FEATURES_PER_ROW } from './bootstrap.ts';
import type { ContentCache } from '../util/content-cache.ts';

const CHUNK = 100;

export function workerCount(): number {
  const configured = process.env.BOOTSTRAP_WORKERS;
  const wanted = configured !== undefined ? Number(configured) : availableParallelism();
  return Number.isInteger(wanted) && wanted > 1 ? Math.min(wanted, 8) : 1;
}

export interface Chunk {
  job: number;
  from: number;
  to: number;
}

/** What a worker is sent: the jobs, their chunks, and the shared index of the next chunk to take. */
export interface WorkOrder {
  jobs: readonly BootstrapJob[];
  chunks: readonly Chunk[];
  next: Int32Array;
}

/** A worker's messages: one chunk's features, then that it has taken its last chunk. */
export interface ChunkDone {
  chunk: number;
  values: Float64Array;
}
export interface WorkerIdle {
  idle: true;
}

/** Workers are started once and reused by every run, since starting one costs about a second. */
let workers: Worker[] = [];

/**
 * Compiled (.build/, `make`): the worker's own compiled module. From the TypeScript sources (tests,
 * tsx): an entry that registers tsx first, since worker threads do not inherit the loader.
 */
const WORKER_ENTRY = import.meta.url.endsWith('.js') ? './bootstrap-worker.js' : './bootstrap-worker-entry.mjs';

function pool(size: number): Worker[] {
  while (workers.length < size) workers.push(new Worker(new URL(WORKER_ENTRY, import.meta.url)));
  return workers.slice(0, size);
}

/** Start the workers now, so their start-up overlaps with the stages before the bootstrap. */
export function warmBootstrapPool(): void {
  const size = workerCount();
  if (size > 1) for (const worker of pool(size)) worker.unref();
}

export async function closeBootstrapPool(): Promise<void> {
  const closing = workers;
  workers = [];
  await Promise.all(closing.map((worker) => worker.terminate()));
}

/** Results of earlier runs to reuse (see useBootstrapJobCache); undefined: every job is computed. */
let jobCache: ContentCache | undefined;

/**
 * Reuse, for every job run until this is called again, the results an earlier run stored in `cache`
 * for a job with the same inputs and code version, and store the results computed (undefined:
 * compute every job). A job's results depend on its inputs and the code only (each replicate has its
 * own seed), so reused results are the computed ones, bit for bit.
 */
export function useBootstrapJobCache(cache: ContentCache | undefined): void {
  jobCache = cache;
}

/** Everything a job's results depend on, for the cache's key. */
function jobInputs(job: BootstrapJob): JobInput[] {
  return [...drawInputs(job), ...job.tasks.flatMap((_, t) => taskInputs(job, t)), String(job.replicates)];
}

/** Cached results of `job`, or undefined when there are none of the right size. */
function cachedResults(job: BootstrapJob, bytes: Buffer | undefined): ReplicateFeatures | undefined {
  const length = job.replicates * job.tasks.length * FEATURES_PER_ROW;
  if (bytes === undefined || bytes.length !== length * 8) return undefined;
  const values = new Float64Array(length);
  new Uint8Array(values.buffer).set(bytes);
  return { replicates: job.replicates, tasks: job.tasks.length, values };
}

/** Features of every replicate of every job, on the workers; jobs the cache holds (useBootstrapJobCache) are read, not computed. */
export async function runBootstrapJobs(jobs: readonly BootstrapJob[], onProgress: (done: number, total: number) => void = () => {}): Promise<ReplicateFeatures[]> {
  const cache = jobCache;
  if (!cache) return computeJobs(jobs, onProgress);
  const entries = jobs.map((job) => cache.entry(jobInputs(job)));
  const results = jobs.map((job, j) => cachedResults(job, entries[j]!.cached));
  const missing = jobs.flatMap((_, j) => (results[j] ? [] : [j]));
  const computed = await computeJobs(missing.map((j) => jobs[j]!), onProgress);
  missing.forEach((j, k) => {
    const features = computed[k]!;
    entries[j]!.store(new Uint8Array(features.values.buffer, features.values.byteOffset, features.values.byteLength));
    results[j] = features;
  });
  return results as ReplicateFeatures[];
}

async function computeJobs(jobs: readonly BootstrapJob[], onProgress: (done: number, total: number) => void): Promise<ReplicateFeatures[]> {
  const results = jobs.map((job) => ({ replicates: job.replicates, tasks: job.tasks.length, values: new Float64Array(job.replicates * job.tasks.length * FEATURES_PER_ROW) }));
  const chunks: Chunk[] = [];
  jobs.forEach((job, j) => {
    for (let from = 0; from < job.replicates; from += CHUNK) chunks.push({ job: j, from, to: Math.min(job.replicates, from + CHUNK) });
  });
  const total = chunks.reduce((sum, c) => sum + (c.to - c.from), 0);
  let done = 0;
  const store = (chunk: Chunk, values: Float64Array): void => {
    results[chunk.job]!.values.set(values, chunk.from * jobs[chunk.job]!.tasks.length * FEATURES_PER_ROW);
    done += chunk.to - chunk.from;
    onProgress(done, total);
  };

  const threads = Math.min(workerCount(), chunks.length);
  if (threads <= 1) {
    for (const chunk of chunks) store(chunk, bootstrapFeatures(jobs[chunk.job]!, chunk.from, chunk.to));
    return results;
  }

  const workers = pool(threads);
  // The workers take chunks themselves from a shared counter, so they keep working while this
  // thread is busy with other stages (it only stores what they send back).
  const next = new Int32Array(new SharedArrayBuffer(4));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const onError = (error: Error): void => reject(error);
            const onMessage = (message: ChunkDone | WorkerIdle): void => {
              if ('values' in message) return store(chunks[message.chunk]!, message.values);
              worker.off('message', onMessage);
              worker.off('error', onError);
              resolve();
            };
            worker.on('message', onMessage);
            worker.once('error', onError);
            worker.ref();
            worker.postMessage({ jobs, chunks, next } satisfies WorkOrder);
          }),
      ),
    );
  } catch (error) {
    await closeBootstrapPool();
    throw error;
  } finally {
    // Idle workers must not keep the process alive; the next run takes them up again.
    for (const worker of workers) worker.unref();
  }
  return results;
}
