/**
 * Cost of one bootstrap curve analysis (resample, fit, every feature the rules read), single-threaded:
 * the gadre2024 headline job (46 tasks, 104 models, x = loss:c4_val), 400 replicates a pass, the
 * median of 5 passes of CPU time after a warm-up. Prints bootstrap_analysis_microseconds.
 */
import { median } from 'simple-statistics';
import { bootstrapFeatures, type BootstrapJob } from '../pipeline/aggregate/bootstrap.ts';
import { PAPER_BOUNDS } from '../pipeline/fit/exponential.ts';
import { readCurve, taskColumns } from '../test/fit/exponential-reference.ts';

const STUDY = 'gadre2024';
const X_COLUMN = 'loss:c4_val';
const REPLICATES = 400;
const PASSES = 5;

export function runBootstrapBench(print: (line: string) => void = console.log): void {
  const tasks = taskColumns(STUDY);
  const curves = tasks.map((task) => readCurve(STUDY, X_COLUMN, task, 'all'));
  const job: BootstrapJob = {
    x: curves[0]!.xs,
    errors: curves.map((curve) => curve.ys),
    // The item counts do not change the work; the classify stage's sufficiency rule and bins do not either.
    tasks: tasks.map(() => ({ items: 1000 })),
    options: { bounds: PAPER_BOUNDS, reversal: { bins: 8, minPointsPerBin: 5 } },
    sufficiency: { minPoints: 8, minRuns: 3 },
    replicates: REPLICATES,
    seed: 1,
  };
  bootstrapFeatures(job, 0, REPLICATES / 4);
  const passes: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    const start = process.cpuUsage();
    bootstrapFeatures(job);
    const used = process.cpuUsage(start);
    passes.push((used.user + used.system) / (REPLICATES * tasks.length));
  }
  print(`# bootstrap: ${REPLICATES} replicates of ${tasks.length} curves of ${curves[0]!.xs.length} points (${STUDY}, x = ${X_COLUMN}), one thread, median of ${PASSES} passes`);
  print(`bootstrap_analysis_microseconds=${Number(median(passes).toPrecision(3))}`);
}
