// Preloaded into a benchmarked process (`node --import`): when the main thread exits, write the
// process's peak resident memory and CPU seconds (every thread: getrusage(RUSAGE_SELF)) as JSON to
// the file named by BENCH_USAGE_FILE. Used by bench/run.ts.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.BENCH_USAGE_FILE;
if (file && isMainThread) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKib: usage.maxRSS, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }));
  });
}
