/**
 * `make bench`: the fit engine (bench/fit-bench.ts), then the whole pipeline, ending with the six
 * figures of issue 14, each on its own line:
 *   fits_per_second                 fits per CPU second of the engine on the 46 headline curves, one thread
 *   curve_fit_ratio                 that, over SciPy curve_fit's on the same curves (CPU seconds each)
 *   reproduce_over_paper_de         wall time of the whole `reproduce` over the wall time of the paper's own
 *                                   fitting (SciPy differential_evolution, popsize 60, the paper's bounds, on
 *                                   the 46 headline curves), run back to back
 *   peak_rss_mib                    peak resident memory of that `reproduce` (all threads)
 *   marginal_cpu_seconds_per_study  CPU seconds of `reproduce` on the registry plus four copies of
 *                                   gadre2024, minus on the registry, over four
 *   cached_rerun_seconds            wall time of a second `reproduce` with nothing changed (the cache)
 * Runs the compiled CLI (`make` builds it first) and writes only into a temporary folder, removed at
 * the end. Exits 1 when the fit engine does worse than the SciPy reference optima.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { $ } from 'zx';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runFitBench } from './fit-bench.ts';
import { REPOSITORY_ROOT } from '../test/fit/exponential-reference.ts';

const COPIES = 4;
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
  const cli = join(REPOSITORY_ROOT, '.build', 'pipeline', 'cli', 'main.js');
  const start = performance.now();
  const run = $({ sync: true, quiet: true, nothrow: true, cwd: REPOSITORY_ROOT, env: { ...process.env, BENCH_USAGE_FILE: usageFile } })`${process.execPath} --import ${probe} ${cli} reproduce ${args}`;
  const wallSeconds = (performance.now() - start) / 1000;
  if (run.exitCode !== 0) return `exit code ${run.exitCode}: ${run.stderr.trim().split('\n').pop() ?? ''}`;
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKib: number; cpuSeconds: number };
  return { wallSeconds, cpuSeconds: usage.cpuSeconds, peakRssMib: usage.maxRssKib / 1024 };
}

/** The paper's procedure in SciPy, or why it could not run. */
function paperDifferentialEvolution(): { wallSeconds: number; cpuSeconds: number } | string {
  const script = join(REPOSITORY_ROOT, 'bench', 'reference', 'scipy_timing.py');
  const run = $({ sync: true, quiet: true, nothrow: true, cwd: REPOSITORY_ROOT })`python3 ${script} --paper-de`;
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

function pipelineFigures(print: (line: string) => void, temp: string): void {
  const usage = (name: string) => join(temp, `${name}.json`);
  const outputs = join(temp, 'outputs');
  const cache = join(temp, 'cache');
  print('# whole pipeline: node .build/pipeline/cli/main.js reproduce (compiled), into a temporary folder');
  const first = reproduce(['--out', outputs, '--cache', cache], usage('first'));
  const paper = paperDifferentialEvolution();
  if (typeof first === 'string') {
    print(`# reproduce failed: ${first}`);
    return;
  }
  print(`reproduce_wall_seconds=${format(first.wallSeconds)}`);
  print(`reproduce_cpu_seconds=${format(first.cpuSeconds)}`);
  if (typeof paper === 'string') print(`# paper's differential_evolution skipped: ${paper}`);
  else {
    print(`paper_de_wall_seconds=${format(paper.wallSeconds)}`);
    print(`paper_de_cpu_seconds=${format(paper.cpuSeconds)}`);
  }
  const again = reproduce(['--out', outputs, '--cache', cache], usage('again'));
  const registry = syntheticRegistry(temp, COPIES);
  print(`# marginal cost: the registry (${readdirSync(join(REPOSITORY_ROOT, 'studies')).filter((n) => !n.endsWith('.json')).length} studies) and the registry plus ${COPIES} copies of ${COPIED_STUDY}, both without the cache`);
  const base = reproduce(['--out', join(temp, 'base'), '--cache', cache, '--fresh'], usage('base'));
  const grown = reproduce(['--studies', registry, '--out', join(temp, 'grown'), '--cache', cache, '--fresh'], usage('grown'));
  if (typeof base !== 'string' && typeof grown !== 'string') {
    print(`registry_cpu_seconds=${format(base.cpuSeconds)}`);
    print(`registry_plus_${COPIES}_copies_cpu_seconds=${format(grown.cpuSeconds)}`);
    print(`registry_plus_${COPIES}_copies_peak_rss_mib=${Math.round(grown.peakRssMib)}`);
  }
  print('# the six figures of issue 14');
  print(`fits_per_second=${Math.round(fit.fitsPerSecond)}`);
  print(`curve_fit_ratio=${fit.curveFitRatio === undefined ? 'skipped' : format(fit.curveFitRatio)}`);
  print(`reproduce_over_paper_de=${typeof paper === 'string' ? 'skipped' : format(first.wallSeconds / paper.wallSeconds)}`);
  print(`peak_rss_mib=${Math.round(first.peakRssMib)}`);
  print(`marginal_cpu_seconds_per_study=${typeof base === 'string' || typeof grown === 'string' ? `failed (${typeof base === 'string' ? base : grown})` : format((grown.cpuSeconds - base.cpuSeconds) / COPIES)}`);
  print(`cached_rerun_seconds=${typeof again === 'string' ? `failed (${again})` : format(again.wallSeconds)}`);
}

const print = (line: string) => console.log(line);
print(`# downstream-scaling-audit benchmark (node ${process.version}, ${process.platform}/${process.arch})`);
const fit = runFitBench(print);
const temp = mkdtempSync(join(tmpdir(), 'bench-'));
try {
  pipelineFigures(print, temp);
} finally {
  rmSync(temp, { recursive: true, force: true });
}
if (!fit.ok) process.exitCode = 1;
