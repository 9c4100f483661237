/**
 * `make bench`: the fit engine benchmark (bench/fit-bench.ts), then the wall time of the whole
 * pipeline (`node .build/pipeline/cli/main.js reproduce`) when the CLI supports it. Prints a short header and
 * one key=value per line; exits 1 when the fit engine does worse than the SciPy reference optima.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runFitBench } from './fit-bench.ts';
import { REPOSITORY_ROOT } from '../test/fit/exponential-reference.ts';

function timePipeline(print: (line: string) => void): void {
  const start = performance.now();
  const run = spawnSync(process.execPath, [join('.build', 'pipeline', 'cli', 'main.js'), 'reproduce'], { cwd: REPOSITORY_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - start) / 1000;
  if (run.status === 0) {
    print('# whole pipeline: node .build/pipeline/cli/main.js reproduce');
    print(`pipeline_wall_seconds=${seconds.toFixed(2)}`);
  } else {
    const why = run.error ? run.error.message : `exit code ${run.status}`;
    print(`# whole pipeline skipped: \`node .build/pipeline/cli/main.js reproduce\` did not succeed (${why})`);
    print('pipeline_wall_seconds=skipped');
  }
}

const print = (line: string) => console.log(line);
print(`# downstream-scaling-audit benchmark (node ${process.version}, ${process.platform}/${process.arch})`);
const fit = runFitBench(print);
timePipeline(print);
if (!fit.ok) process.exitCode = 1;
