/**
 * The report stage: build every section from outputs/ (./sections/index.ts lists them), render each
 * chart to SVG, and write outputs/report/: report.html (interactive, self-contained), report.md
 * (static), figures/<chart id>.svg and tables/<table id>.csv. PNGs are made only on demand
 * (`make figures`, `make publish`: ./render-png.ts).
 * Deterministic: no timestamps, stable order, fixed number formats; two runs give identical bytes.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors.ts';
import { formatCsv, writeFileAtomic } from '../util/files.ts';
import type { ChartCache } from './chart-cache.ts';
import { htmlReport } from './html-report.ts';
import { FIGURES_DIR, figurePath, TABLES_DIR, tableId, tablePath } from './layout.ts';
import { markdownReport, type ReportContext } from './markdown-report.ts';
import { createOutputsReader } from './outputs-reader.ts';
import { compileChart, releaseFinishedViews, renderSvg, type VegaSpec } from './render-chart.ts';
import { REPRODUCTION_FILE } from './reproduction.ts';
import type { Chart, OutputsReader, ReportSection, SectionBuilder, SectionsBuilder } from './section.ts';
import { TEXT_COLUMN_WIDTH } from './theme.ts';
import type { TopLevelSpec } from 'vega-lite';
import { SECTIONS } from './sections/index.ts';

export const REPORT_DIR = 'report';
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Every section the builders produce from these outputs, in order, with ids checked. */
export function buildSections(outputs: OutputsReader, builders: readonly (SectionBuilder | SectionsBuilder)[] = SECTIONS): ReportSection[] {
  const sections: ReportSection[] = [];
  for (const build of builders) {
    const built = build(outputs);
    if (built) sections.push(...(Array.isArray(built) ? built : [built]));
  }
  checkIds(sections);
  return sections;
}

function checkIds(sections: readonly ReportSection[]): void {
  const unique = (kind: string, ids: string[]): void => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (!SAFE_ID.test(id)) throw new Error(`report: ${kind} id ${JSON.stringify(id)} is not file-name-safe (letters, digits, _ . -)`);
      if (seen.has(id)) throw new Error(`report: two ${kind}s have the id ${JSON.stringify(id)}`);
      seen.add(id);
    }
  };
  unique('section', sections.map((s) => s.id));
  unique('chart', sections.flatMap((s) => s.charts.map((c) => c.id)));
  unique('table', sections.flatMap((s) => s.tables.map((t, i) => tableId(s, t, i))));
}

/**
 * A single-view chart (one mark or layers, no facet or concatenation) drawn inline and not narrow by
 * design spans the report's text column: Vega-Lite's autosize "fit-x" puts axes, legends and plot
 * into TEXT_COLUMN_WIDTH, so no chart is shrunk and its text stays at its set size. Faceted and
 * concatenated charts size their panels themselves; small multiples (grouped charts) stay small.
 */
export function fitToColumn(chart: Chart): TopLevelSpec {
  const spec = chart.spec as TopLevelSpec & Record<string, unknown>;
  if (chart.narrow || chart.linkOnly || chart.group !== undefined) return spec;
  if (['facet', 'repeat', 'concat', 'hconcat', 'vconcat'].some((key) => key in spec)) return spec;
  return { ...spec, width: TEXT_COLUMN_WIDTH, autosize: { type: 'fit-x', contains: 'padding' } } as TopLevelSpec;
}

/** Top-level data files of outputs/ that the report links to. */
export function outputDataFiles(outputsDir: string): string[] {
  return readdirSync(outputsDir)
    .filter((name) => /\.(csv|json)$/.test(name) && statSync(join(outputsDir, name)).isFile())
    .sort();
}

/** Throws a UserError unless `outputsDir` holds a reproduction to report on. */
export function checkReproduced(outputsDir: string): void {
  if (!existsSync(join(outputsDir, REPRODUCTION_FILE))) {
    throw new UserError(`${join(outputsDir, REPRODUCTION_FILE)} not found: run make reproduce first, then make report`);
  }
}

/**
 * Render the report from outputs/ into outputs/report/; returns the paths written, sorted. With a
 * chart cache, a chart whose spec is unchanged since the last run is copied, not drawn.
 */
export async function renderReport(outputsDir: string, log: (line: string) => void = () => {}, builders: readonly (SectionBuilder | SectionsBuilder)[] = SECTIONS, chartCache?: ChartCache): Promise<string[]> {
  checkReproduced(outputsDir);
  const outputs = createOutputsReader(outputsDir);
  const sections = buildSections(outputs, builders);
  const charts = sections.flatMap((s) => s.charts);
  log(`report: ${sections.length} sections, ${charts.length} charts`);

  const reportDir = join(outputsDir, REPORT_DIR);
  // Figures and tables of charts that no longer exist must not linger (nor PNGs of older SVGs).
  for (const dir of [FIGURES_DIR, TABLES_DIR]) rmSync(join(reportDir, dir), { recursive: true, force: true });
  const written: string[] = [];
  const write = (name: string, contents: string | Iterable<string>): void => {
    const path = join(reportDir, name);
    writeFileAtomic(path, contents);
    written.push(path);
  };
  const specs = new Map<string, VegaSpec>();
  for (const chart of charts) {
    let svg: string;
    try {
      const spec = compileChart(fitToColumn(chart), (message) => log(`report: chart ${chart.id}: vega-lite ${message}`));
      specs.set(chart.id, spec);
      svg = chartCache ? chartCache.svg(spec, renderSvg) : renderSvg(spec);
    } catch (error) {
      throw new Error(`report: chart ${chart.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Written now, not kept: the SVGs of a registry are tens of megabytes (this is a new generation, never a published folder).
    write(figurePath(chart, 'svg'), svg);
    await releaseFinishedViews();
  }
  if (chartCache) {
    const { reused, drawn } = chartCache.finish();
    log(`report: drew ${drawn} charts, ${reused} unchanged from the chart cache`);
  }
  for (const section of sections) {
    section.tables.forEach((table, i) => write(tablePath(tableId(section, table, i)), formatCsv(table.header, table.rows)));
  }
  const context: ReportContext = { dataFiles: outputDataFiles(outputsDir) };
  write('report.md', markdownReport(sections, context));
  write('report.html', htmlReport(sections, specs, context));
  written.sort();
  log(`report: wrote ${written.length} files to ${reportDir} (report.html ${(statSync(join(reportDir, 'report.html')).size / 1024).toFixed(0)} KiB)`);
  return written;
}
