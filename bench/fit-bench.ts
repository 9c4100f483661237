/**
 * Benchmark of the exponential fit engine (pipeline/fit/exponential.ts) on the 46 gadre2024 curves
 * (task error against loss:c4_val, 104 points each), single-threaded:
 *   fits_per_second            median over timed rounds of CPU time, after a warm-up (the 46 curves share
 *                              x, as every curve set and bootstrap replicate does, so they share the γ grid)
 *   max_sse_ratio_vs_reference our SSE / SciPy differential_evolution's (test/fixtures/reference-optima.json)
 * and, when python3 has SciPy, SciPy's curve_fit and differential_evolution on the same curves
 * (bench/reference/scipy_timing.py) with our speed-up over each.
 * Run through `make bench` (bench/run.ts), or alone: `node_modules/.bin/tsx bench/fit-bench.ts`.
 */
import { median } from 'simple-statistics';
import { $ } from 'zx';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitExponential } from '../pipeline/fit/exponential.ts';
import { COMMAND_OPTIONS } from '../pipeline/util/processes.ts';
import { readCurve, readReferenceFile, REPOSITORY_ROOT, taskColumns } from '../test/fit/exponential-reference.ts';

const STUDY = 'gadre2024';
const X_COLUMN = 'loss:c4_val';
const WARM_UP_SECONDS = 1;
const ROUNDS = 15;
const ROUND_SECONDS = 0.2;
const SSE_RATIO_LIMIT = 1 + 1e-9;

export interface FitBenchResult {
  ok: boolean;
  fitsPerSecond: number;
  /** Our fits per CPU second over SciPy curve_fit's, when SciPy ran. */
  curveFitRatio?: number;
}

interface ScipyTiming {
  curve_fit_fits_per_second: number;
  differential_evolution_fits_per_second: number;
  curve_fit_max_sse_ratio_vs_reference: number | null;
  differential_evolution_max_sse_ratio_vs_reference: number | null;
  scipy: string;
}

function loadCurves(): { task: string; xs: Float64Array; ys: Float64Array }[] {
  return taskColumns(STUDY).map((task) => ({ task, ...readCurve(STUDY, X_COLUMN, task, 'all') }));
}

/**
 * Fits per second: rounds of repeated passes over the curves, each ROUND_SECONDS of this process's CPU
 * time; the median round. CPU time, not wall time, because the machine is shared: other processes
 * stretch wall time at random, while the fits run on this one thread (the wall-clock rate is printed too).
 */
function timeFits(curves: { xs: Float64Array; ys: Float64Array }[]): { median: number; best: number; wallMedian: number } {
  let sink = 0;
  const pass = () => {
    for (const curve of curves) sink += fitExponential(curve.xs, curve.ys).sse;
  };
  const cpuSeconds = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1e6;
  };
  const warmUpEnd = performance.now() + WARM_UP_SECONDS * 1000;
  while (performance.now() < warmUpEnd) pass();
  const rates: number[] = [];
  const wallRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let fits = 0;
    const start = process.cpuUsage();
    const wallStart = performance.now();
    let elapsed = 0;
    do {
      pass();
      fits += curves.length;
      elapsed = cpuSeconds(start);
    } while (elapsed < ROUND_SECONDS);
    rates.push(fits / elapsed);
    wallRates.push((fits * 1000) / (performance.now() - wallStart));
  }
  if (!Number.isFinite(sink)) throw new Error('non-finite SSE');
  return { median: median(rates), best: Math.max(...rates), wallMedian: median(wallRates) };
}

/** python3 through zx, synchronously, from the repository root; never throws on a failing exit. */
export const python = (args: string[]) => $({ ...COMMAND_OPTIONS, sync: true, cwd: REPOSITORY_ROOT })`python3 ${args}`;

function scipyAvailable(): boolean {
  return python(['-c', 'import scipy']).exitCode === 0;
}

function timeScipy(): ScipyTiming | string {
  const script = join(REPOSITORY_ROOT, 'bench', 'reference', 'scipy_timing.py');
  const run = python([script]);
  if (run.exitCode !== 0) return `scipy_timing.py exited with ${run.exitCode}: ${run.stderr.trim().split('\n').pop() ?? ''}`;
  return JSON.parse(run.stdout) as ScipyTiming;
}

function format(value: number, digits = 4): string {
  return Number(value.toPrecision(digits)).toString();
}

/** Run the fit benchmark, printing key=value lines; ok is false when an SSE is worse than the reference. */
export function runFitBench(print: (line: string) => void = console.log): FitBenchResult {
  const curves = loadCurves();
  const reference = new Map(
    readReferenceFile()
      .curves.filter((c) => c.study === STUDY && c.x === X_COLUMN && c.rows === 'all')
      .map((c) => [c.task, c.sse]),
  );
  let maxRatio = 0;
  let worstTask = '';
  let missing = 0;
  for (const curve of curves) {
    const referenceSse = reference.get(curve.task);
    if (referenceSse === undefined) {
      missing++;
      continue;
    }
    const ratio = fitExponential(curve.xs, curve.ys).sse / referenceSse;
    if (ratio > maxRatio) {
      maxRatio = ratio;
      worstTask = curve.task;
    }
  }
  const timing = timeFits(curves);
  print(`# fit engine: ${curves.length} curves of ${curves[0]?.xs.length ?? 0} points (${STUDY}, x = ${X_COLUMN}), one thread`);
  print(`fits_per_second=${Math.round(timing.median)}`);
  print(`fits_per_second_best_round=${Math.round(timing.best)}`);
  print(`fits_per_wall_second=${Math.round(timing.wallMedian)}`);
  print(`max_sse_ratio_vs_reference=${maxRatio}`);
  print(`max_sse_ratio_task=${worstTask}`);
  if (missing > 0) print(`curves_missing_from_reference=${missing}`);
  const ok = missing === 0 && maxRatio <= SSE_RATIO_LIMIT;
  if (!ok) print(`# FAILED: an SSE is worse than the reference by more than ${SSE_RATIO_LIMIT - 1} (or curves are missing)`);

  if (!scipyAvailable()) {
    print('# SciPy comparison skipped: python3 with SciPy is not installed (Debian package python3-scipy)');
    print('scipy=skipped');
    return { ok, fitsPerSecond: timing.median };
  }
  print('# SciPy on the same curves, one thread: curve_fit (trf, local, start (0.5, 1, 1)); differential_evolution (defaults, polish, seed 0)');
  const scipy = timeScipy();
  if (typeof scipy === 'string') {
    print(`# SciPy comparison failed: ${scipy}`);
    print('scipy=failed');
    return { ok, fitsPerSecond: timing.median };
  }
  print(`scipy_version=${scipy.scipy}`);
  print(`scipy_curve_fit_fits_per_second=${format(scipy.curve_fit_fits_per_second)}`);
  print(`scipy_differential_evolution_fits_per_second=${format(scipy.differential_evolution_fits_per_second)}`);
  print(`speedup_vs_curve_fit=${format(timing.median / scipy.curve_fit_fits_per_second)}`);
  print(`speedup_vs_differential_evolution=${format(timing.median / scipy.differential_evolution_fits_per_second)}`);
  if (scipy.curve_fit_max_sse_ratio_vs_reference !== null) print(`scipy_curve_fit_max_sse_ratio_vs_reference=${format(scipy.curve_fit_max_sse_ratio_vs_reference, 6)}`);
  if (scipy.differential_evolution_max_sse_ratio_vs_reference !== null) {
    print(`scipy_differential_evolution_max_sse_ratio_vs_reference=${format(scipy.differential_evolution_max_sse_ratio_vs_reference, 6)}`);
  }
  return { ok, fitsPerSecond: timing.median, curveFitRatio: timing.median / scipy.curve_fit_fits_per_second };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = runFitBench();
  if (!result.ok) process.exitCode = 1;
}
