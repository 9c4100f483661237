/** Worker thread: computes chunks of bootstrap replicates for the jobs it was started with. */
import { parentPort, workerData } from 'node:worker_threads';
import { bootstrapFeatures, type BootstrapJob } from './bootstrap.ts';

const { jobs } = workerData as { jobs: BootstrapJob[] };
parentPort!.on('message', (chunk: { job: number; from: number; to: number }) => {
  const values = bootstrapFeatures(jobs[chunk.job]!, chunk.from, chunk.to);
  parentPort!.postMessage(values, [values.buffer as ArrayBuffer]);
});
