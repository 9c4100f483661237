/** Worker thread: takes the jobs of a run, then computes the chunks of replicates it is sent. */
import { parentPort } from 'node:worker_threads';
import { bootstrapFeatures, type BootstrapJob } from './bootstrap.ts';

let jobs: BootstrapJob[] = [];
parentPort!.on('message', (message: { jobs: BootstrapJob[] } | { chunk: { job: number; from: number; to: number } }) => {
  if ('jobs' in message) {
    jobs = message.jobs;
    return;
  }
  const { job, from, to } = message.chunk;
  const values = bootstrapFeatures(jobs[job]!, from, to);
  parentPort!.postMessage(values, [values.buffer as ArrayBuffer]);
});
