/**
 * `make bench`: the fit engine (bench/fit-bench.ts), one bootstrap curve analysis (bench/bootstrap-bench.ts), then the whole pipeline
 * and its charts alone (bench/chart-bench.ts), ending with the six
 * figures of issue 14, each on its own line:
 *   fits_per_second                 fits per CPU second of the engine on the 46 headline curves, one thread
 *   curve_fit_ratio                 that, over SciPy curve_fit's on the same curves (CPU seconds each)
 *   reproduce_over_paper_de         wall time of the whole `reproduce` over the wall time of the paper's own
 *                                   fitting (SciPy differential_evolution, popsize 60, the paper's bounds, on
 *                                   the 46 headline curves), run back to back; median of 3 rounds
 *   peak_rss_mib                    peak resident memory of that `reproduce` (all threads); median of 3 rounds
 *   marginal_cpu_seconds_per_study  CPU seconds of `reproduce` on the registry plus four copies of
 *                                   gadre2024, minus on the registry, over four; median of 3 rounds
 *   cached_rerun_seconds            wall time of a second `reproduce` with nothing changed (the cache); median of 3
 * and, beside them, study_withdrawn_rerun_seconds: wall time of `reproduce` on the registry without its
 * last study, after a run of the whole registry (bootstrap jobs and charts of the others come from the cache).
 * Runs the compiled CLI through pipeline/cli/launch.sh, as `make reproduce` does (`make` builds it first), and writes only into a temporary folder, removed at
 * the end. Exits 1 when the fit engine does worse than the SciPy reference optima.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { median } from 'simple-statistics';
import { $ } from 'zx';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runBootstrapBench } from './bootstrap-bench.ts';
import { runChartBench } from './chart-bench.ts';
import { python, runFitBench } from './fit-bench.ts';
import { COMMAND_OPTIONS } from '../pipeline/util/processes.ts';
import { REPOSITORY_ROOT } from '../test/fit/exponential-reference.ts';

const COPIES = 4;
/** Rounds of each whole-pipeline measurement (BENCH_ROUNDS to change). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3) || 3);
const COPIED_STUDY = 'gadre2024';

interface Usage {
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMib: number;
}

const format = (value: number, digits = 3): string => Number(value.toPrecision(digits)).toString();

/** Run `reproduce` with `args` in a child process; its wall time, CPU seconds and peak memory, or why it failed. */
function reproduce(args: string[], usageFile: string): Usage | string {
  const probe = pathToFileURL(join(REPOSITORY_ROOT, 'bench', 'usage-probe.mjs')).href;
  // The launcher `make reproduce` uses (its memory settings included); it execs node, so the probe measures that process.
  const launcher = join(REPOSITORY_ROOT, 'pipeline', 'cli', 'launch.sh');
  const env = { ...process.env, BENCH_USAGE_FILE: usageFile, NODE_OPTIONS: `--import "${probe}"` };
  const start = performance.now();
  const run = $({ ...COMMAND_OPTIONS, sync: true, cwd: REPOSITORY_ROOT, env })`${launcher} reproduce ${args}`;
  const wallSeconds = (performance.now() - start) / 1000;
  if (run.exitCode !== 0) return `exit code ${run.exitCode}: ${run.stderr.trim().split('\n').pop() ?? ''}`;
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKib: number; cpuSeconds: number };
  return { wallSeconds, cpuSeconds: usage.cpuSeconds, peakRssMib: usage.maxRssKib / 1024 };
}

/** The paper's procedure in SciPy, or why it could not run. */
function paperDifferentialEvolution(): { wallSeconds: number; cpuSeconds: number } | string {
  const script = join(REPOSITORY_ROOT, 'bench', 'reference', 'scipy_timing.py');
  const run = python([script, '--paper-de']);
  if (run.exitCode !== 0) return `scipy_timing.py --paper-de exited with ${run.exitCode}: ${run.stderr.trim().split('\n').pop() ?? ''}`;
  const result = JSON.parse(run.stdout) as { paper_de_wall_seconds: number; paper_de_cpu_seconds: number };
  return { wallSeconds: result.paper_de_wall_seconds, cpuSeconds: result.paper_de_cpu_seconds };
}

/** A registry: the committed studies plus `copies` copies of COPIED_STUDY under new ids. */
function syntheticRegistry(dir: string, copies: number): string {
  const registry = join(dir, 'registry');
  cpSync(join(REPOSITORY_ROOT, 'studies'), registry, { recursive: true });
  for (let copy = 2; copy < 2 + copies; copy++) {
    const id = `${COPIED_STUDY}copy${copy}`;
    cpSync(join(registry, COPIED_STUDY), join(registry, id), { recursive: true });
    const metadata = join(registry, id, 'study.json');
    writeFileSync(metadata, readFileSync(metadata, 'utf8').replace(`"id": "${COPIED_STUDY}"`, `"id": "${id}"`));
  }
  return registry;
}

/** A copy of the committed studies without the last study folder (by name). */
function registryWithoutLastStudy(dir: string): string {
  const registry = join(dir, 'withdrawn-registry');
  cpSync(join(REPOSITORY_ROOT, 'studies'), registry, { recursive: true });
  const studies = readdirSync(registry).filter((name) => statSync(join(registry, name)).isDirectory()).sort();
  rmSync(join(registry, studies[studies.length - 1]!), { recursive: true });
  return registry;
}

/**
 * Each figure of the whole pipeline is the median of ROUNDS rounds, since one run on a shared
 * 2-core machine can be 30% slower than the next: a round of the ratio is a fresh reproduce and the
 * paper's procedure back to back; a round of the marginal cost is the registry, then the grown one.
 */
function pipelineFigures(print: (line: string) => void, temp: string): string[] {
  const usage = (name: string) => join(temp, `${name}.json`);
  const failed = (what: string, why: string): string[] => {
    print(`# ${what} failed: ${why}`);
    return [];
  };
  print(`# whole pipeline: pipeline/cli/launch.sh reproduce (compiled, as make reproduce runs it), into a temporary folder, ${ROUNDS} rounds`);
  const ratios: number[] = [];
  const peaks: number[] = [];
  let cache = '';
  for (let round = 1; round <= ROUNDS; round++) {
    cache = join(temp, `cache-${round}`);
    const first = reproduce(['--out', join(temp, `outputs-${round}`), '--cache', cache], usage(`first-${round}`));
    const paper = paperDifferentialEvolution();
    if (typeof first === 'string') return failed('reproduce', first);
    peaks.push(first.peakRssMib);
    const de = typeof paper === 'string' ? `skipped (${paper})` : `${format(paper.wallSeconds)} s wall`;
    print(`# round ${round}: reproduce ${format(first.wallSeconds)} s wall, ${format(first.cpuSeconds)} s CPU, peak ${Math.round(first.peakRssMib)} MiB; paper's differential_evolution ${de}`);
    if (typeof paper !== 'string') ratios.push(first.wallSeconds / paper.wallSeconds);
  }
  // A second run with nothing changed takes under a second, so one slow moment of the machine is a large
  // part of it: ROUNDS reruns, the median.
  const reruns: Usage[] = [];
  let rerunFailure = '';
  for (let round = 1; round <= ROUNDS; round++) {
    const again = reproduce(['--out', join(temp, `outputs-${ROUNDS}`), '--cache', cache], usage(`again-${round}`));
    if (typeof again === 'string') rerunFailure = again;
    else reruns.push(again);
  }
  print(`# nothing changed, ${ROUNDS} reruns on the last round's cache: ${rerunFailure ? `failed (${rerunFailure})` : reruns.map((r) => `${format(r.wallSeconds)} s wall (${format(r.cpuSeconds)} s CPU)`).join(', ')}`);
  // A contributor's change after a run of the whole registry: the registry without its last study, on the same cache.
  const withdrawn = reproduce(['--studies', registryWithoutLastStudy(temp), '--out', join(temp, 'withdrawn'), '--cache', cache], usage('withdrawn'));
  const registry = syntheticRegistry(temp, COPIES);
  print(`# marginal cost: the registry (${readdirSync(join(REPOSITORY_ROOT, 'studies')).filter((n) => !n.endsWith('.json')).length} studies) and the registry plus ${COPIES} copies of ${COPIED_STUDY}, both without the cache, ${ROUNDS} rounds`);
  const marginals: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const base = reproduce(['--out', join(temp, 'base'), '--cache', cache, '--fresh'], usage('base'));
    const grown = reproduce(['--studies', registry, '--out', join(temp, 'grown'), '--cache', cache, '--fresh'], usage('grown'));
    if (typeof base === 'string' || typeof grown === 'string') return failed('the marginal-cost reproduce', typeof base === 'string' ? base : (grown as string));
    print(`# round ${round}: registry ${format(base.cpuSeconds)} s CPU; plus ${COPIES} copies ${format(grown.cpuSeconds)} s CPU, peak ${Math.round(grown.peakRssMib)} MiB`);
    marginals.push((grown.cpuSeconds - base.cpuSeconds) / COPIES);
  }
  return [
    `# the six figures of issue 14 (pipeline figures: medians of ${ROUNDS} rounds)`,
    `fits_per_second=${Math.round(fit.fitsPerSecond)}`,
    `curve_fit_ratio=${fit.curveFitRatio === undefined ? 'skipped' : format(fit.curveFitRatio)}`,
    `reproduce_over_paper_de=${ratios.length === 0 ? 'skipped' : format(median(ratios))}`,
    `peak_rss_mib=${Math.round(median(peaks))}`,
    `marginal_cpu_seconds_per_study=${format(median(marginals))}`,
    `cached_rerun_seconds=${rerunFailure ? `failed (${rerunFailure})` : format(median(reruns.map((r) => r.wallSeconds)))}`,
    `study_withdrawn_rerun_seconds=${typeof withdrawn === 'string' ? `failed (${withdrawn})` : format(withdrawn.wallSeconds)}`,
  ];
}

const print = (line: string) => console.log(line);
print(`# downstream-scaling-audit benchmark (node ${process.version}, ${process.platform}/${process.arch})`);
const fit = runFitBench(print);
runBootstrapBench(print);
const temp = mkdtempSync(join(tmpdir(), 'bench-'));
try {
  const figures = pipelineFigures(print, temp);
  // Where the pipeline's time goes: its charts, drawn again from the first round's outputs.
  const firstOutputs = join(temp, 'outputs-1');
  if (existsSync(firstOutputs)) await runChartBench(firstOutputs, print);
  figures.forEach((line) => print(line));
} finally {
  rmSync(temp, { recursive: true, force: true });
}
if (!fit.ok) process.exitCode = 1;
