/** Worker thread: given a work order, takes its chunks of replicates one by one from the shared counter until none is left. */
import { parentPort } from 'node:worker_threads';
import { bootstrapFeatures } from './bootstrap.ts';
import type { ChunkDone, WorkerIdle, WorkOrder } from './bootstrap-pool.ts';

parentPort!.on('message', ({ jobs, chunks, next }: WorkOrder) => {
  for (let c = Atomics.add(next, 0, 1); c < chunks.length; c = Atomics.add(next, 0, 1)) {
    const { job, from, to } = chunks[c]!;
    const values = bootstrapFeatures(jobs[job]!, from, to);
    parentPort!.postMessage({ chunk: c, values } satisfies ChunkDone, [values.buffer as ArrayBuffer]);
  }
  parentPort!.postMessage({ idle: true } satisfies WorkerIdle);
});
