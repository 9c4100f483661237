/**
 * Runs bootstrap jobs on worker threads (one per core, at most BOOTSTRAP_WORKERS when set), each
 * job split into chunks of replicates. Results are identical to the single-thread run because each
 * replicate carries its own seed. Falls back to the current thread when workers are off (=0/1).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { bootstrapFeatures, type BootstrapJob, type ReplicateFeatures, FEATURES_PER_ROW } from './bootstrap.ts';

const CHUNK = 100;

export function workerCount(): number {
  const configured = process.env.BOOTSTRAP_WORKERS;
  const wanted = configured !== undefined ? Number(configured) : availableParallelism();
  return Number.isInteger(wanted) && wanted > 1 ? Math.min(wanted, 8) : 1;
}

interface Chunk {
  job: number;
  from: number;
  to: number;
}

export async function runBootstrapJobs(jobs: readonly BootstrapJob[], onProgress: (done: number, total: number) => void = () => {}): Promise<ReplicateFeatures[]> {
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

  let next = 0;
  const workers = Array.from({ length: threads }, () => new Worker(new URL('./bootstrap-worker-entry.mjs', import.meta.url), { workerData: { jobs } }));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const feed = (): void => {
              const chunk = chunks[next++];
              if (!chunk) {
                resolve();
                return;
              }
              worker.once('message', (values: Float64Array) => {
                store(chunk, values);
                feed();
              });
              worker.postMessage(chunk);
            };
            worker.once('error', reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}
