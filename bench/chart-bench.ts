/**
 * What the report's charts cost, the largest part of `reproduce` on one thread: every chart of an
 * outputs folder compiled (Vega-Lite → Vega) and drawn (Vega → SVG) on this thread, one after the
 * other, as the report stage does. Prints the seconds of each step (CPU seconds are the whole process's,
 * V8's helper threads included, as `make bench` counts them for reproduce), garbage-collection pauses by kind
 * (a chart's dataflow stays alive until it is drawn, so young-generation collections copy much of it),
 * and the report sections whose charts cost most. `make bench` runs it on the first round's outputs; alone,
 * after `make build`: `node .build/bench/chart-bench.js [OUTPUTS]` (default outputs/).
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildSections, checkReproduced, fitToColumn } from '../pipeline/report/render-report.ts';
import { compileChart, releaseFinishedViews, renderSvg } from '../pipeline/report/render-chart.ts';
import { createOutputsReader } from '../pipeline/report/outputs-reader.ts';
import { OUTPUTS_DIR } from '../pipeline/util/paths.ts';

/** How many report sections the breakdown lists. */
const SECTIONS_SHOWN = 5;

export interface ChartBenchResult {
  charts: number;
  compileCpuSeconds: number;
  drawCpuSeconds: number;
  drawWallSeconds: number;
  minorGcSeconds: number;
  majorGcSeconds: number;
}

const cpuSecondsSince = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

const format = (value: number): string => Number(value.toPrecision(3)).toString();

/** Compile and draw every chart of `outputsDir`'s report; prints key=value lines. */
export async function runChartBench(outputsDir: string, print: (line: string) => void = console.log): Promise<ChartBenchResult> {
  checkReproduced(outputsDir);
  const sections = buildSections(createOutputsReader(outputsDir));
  const charts = sections.flatMap((section) => section.charts.map((chart) => ({ chart, section: section.id })));
  const gc = { minor: 0, major: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gc.minor += entry.duration / 1000;
      else gc.major += entry.duration / 1000;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  let compileCpuSeconds = 0;
  let drawCpuSeconds = 0;
  let drawWallSeconds = 0;
  const bySection = new Map<string, number>();
  for (const { chart, section } of charts) {
    let since = process.cpuUsage();
    const spec = compileChart(fitToColumn(chart));
    compileCpuSeconds += cpuSecondsSince(since);
    since = process.cpuUsage();
    const started = performance.now();
    renderSvg(spec);
    drawWallSeconds += (performance.now() - started) / 1000;
    const draw = cpuSecondsSince(since);
    drawCpuSeconds += draw;
    bySection.set(section, (bySection.get(section) ?? 0) + draw);
    await releaseFinishedViews();
  }
  // GC entries arrive asynchronously: let the last ones in before reading the totals.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  print(`# charts: ${charts.length} charts of ${outputsDir}, compiled and drawn one after the other on one thread (this process's V8 settings)`);
  print(`chart_compile_cpu_seconds=${format(compileCpuSeconds)}`);
  print(`chart_draw_wall_seconds=${format(drawWallSeconds)}`);
  print(`chart_draw_cpu_seconds=${format(drawCpuSeconds)}`);
  print(`chart_gc_minor_seconds=${format(gc.minor)}`);
  print(`chart_gc_major_seconds=${format(gc.major)}`);
  const costly = [...bySection].sort((a, b) => b[1] - a[1]).slice(0, SECTIONS_SHOWN);
  print(`# drawing by report section (CPU seconds): ${costly.map(([section, seconds]) => `${section} ${format(seconds)}`).join(', ')}`);
  return { charts: charts.length, compileCpuSeconds, drawCpuSeconds, drawWallSeconds, minorGcSeconds: gc.minor, majorGcSeconds: gc.major };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runChartBench(process.argv[2] ?? OUTPUTS_DIR).catch((error: unknown) => {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
