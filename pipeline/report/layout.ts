/** What report.md and report.html share: the order of parts, headings, anchors and file names. */
import type { Chart, ReportSection, Table } from './section.ts';

export const REPORT_TITLE = 'Downstream scaling audit';
export const FIGURES_DIR = 'figures';
export const TABLES_DIR = 'tables';

/** A run of charts: one ungrouped chart, or every consecutive chart of one group. */
export interface ChartRun {
  group?: string;
  charts: Chart[];
}

/** The runs of charts drawn in the report (charts only linked to are left out: see linkedCharts). */
export function chartRuns(charts: readonly Chart[]): ChartRun[] {
  const runs: ChartRun[] = [];
  for (const chart of charts.filter((c) => !c.linkOnly)) {
    const last = runs[runs.length - 1];
    if (chart.group !== undefined && last && last.group === chart.group) last.charts.push(chart);
    else runs.push(chart.group === undefined ? { charts: [chart] } : { group: chart.group, charts: [chart] });
  }
  return runs;
}

/** Charts written to figures/ for linking only (one task's panel alone), in order. */
export function linkedCharts(charts: readonly Chart[]): Chart[] {
  return charts.filter((c) => c.linkOnly);
}

/** A section shows among the results only if it has results; its methods always go to Methods. */
export function hasResults(section: ReportSection): boolean {
  return section.summary.length > 0 || section.charts.length > 0 || section.tables.length > 0;
}

export function tableId(section: ReportSection, table: Table, index: number): string {
  return table.id ?? `${section.id}-${index + 1}`;
}

export function figurePath(chart: Chart, extension: 'svg' | 'png'): string {
  return `${FIGURES_DIR}/${chart.id}.${extension}`;
}

export function tablePath(id: string): string {
  return `${TABLES_DIR}/${id}.csv`;
}

/** The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Anchors of headings that repeat get -1, -2 … like GitHub does. */
export class Anchors {
  private readonly seen = new Map<string, number>();
  next(heading: string): string {
    const base = headingAnchor(heading);
    const count = this.seen.get(base) ?? 0;
    this.seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  }
}

export const METHODS_HEADING = 'Methods';

/** The report's outline, shared by the HTML and Markdown renderers so their anchors agree. */
export interface Outline {
  results: ReportSection[];
  resultAnchors: string[];
  withMethods: ReportSection[];
  methodsAnchor: string;
}

export function outline(sections: readonly ReportSection[]): Outline {
  const anchors = new Anchors();
  anchors.next(REPORT_TITLE);
  const results = sections.filter(hasResults);
  const withMethods = sections.filter((s) => s.methods.length > 0);
  const resultAnchors = results.map((s) => anchors.next(s.title));
  return { results, resultAnchors, withMethods, methodsAnchor: anchors.next(METHODS_HEADING) };
}
