/** report.md: the static report, for reading on a code-hosting site (SVG figures, Markdown tables). */
import { escapeMarkdown } from './escape.ts';
import { chartRuns, figurePath, linkedCharts, METHODS_HEADING, outline, REPORT_TITLE, tableId, tablePath } from './layout.ts';
import type { ReportSection, Table } from './section.ts';

export interface ReportContext {
  /** Data files of outputs/ (relative to outputs/), linked from the report as ../<file>. */
  dataFiles: string[];
}

export function markdownReport(sections: readonly ReportSection[], context: ReportContext): string {
  const { results, resultAnchors, withMethods, methodsAnchor } = outline(sections);

  const out: string[] = [`# ${REPORT_TITLE}`, ''];
  const data = context.dataFiles.map((f) => `[${escapeMarkdown(f)}](../${encodeURI(f)})`).join(', ');
  out.push(`Built by \`make report\` from the files in \`outputs/\`${data ? ` (${data})` : ''}. An interactive version with tooltips is [report.html](report.html).`, '');
  out.push(...results.map((s, i) => `${i + 1}. [${escapeMarkdown(s.title)}](#${resultAnchors[i]})`));
  if (withMethods.length > 0) out.push(`${results.length + 1}. [${METHODS_HEADING}](#${methodsAnchor})`);
  out.push('');

  for (const section of results) {
    out.push(`## ${escapeMarkdown(section.title)}`, '');
    for (const paragraph of section.summary) out.push(paragraph, '');
    for (const run of chartRuns(section.charts)) {
      if (run.group !== undefined) {
        out.push(`### ${escapeMarkdown(run.group)}`, '');
        out.push(run.charts.map((c) => `![${escapeMarkdown(c.title)}](${figurePath(c, 'svg')})`).join('\n'), '');
        // One paragraph per caption, led by its chart's title, so captions never run together.
        for (const c of run.charts.filter((chart) => chart.caption)) out.push(`*${escapeMarkdown(c.title)}.* ${c.caption}`, '');
      } else {
        const chart = run.charts[0]!;
        out.push(`![${escapeMarkdown(chart.title)}](${figurePath(chart, 'svg')})`, '');
        out.push(`*${escapeMarkdown(chart.title)}.*${chart.caption ? ` ${chart.caption}` : ''} ([SVG](${figurePath(chart, 'svg')}))`, '');
      }
    }
    const linked = linkedCharts(section.charts);
    if (linked.length > 0) out.push(`Each panel alone (SVG): ${linked.map((c) => `[${escapeMarkdown(c.title)}](${figurePath(c, 'svg')})`).join(', ')}.`, '');
    section.tables.forEach((table, i) => out.push(...markdownTable(table, tablePath(tableId(section, table, i))), ''));
  }

  if (withMethods.length > 0) {
    out.push(`## ${METHODS_HEADING}`, '');
    for (const section of withMethods) {
      out.push(`### ${escapeMarkdown(section.title)}`, '');
      for (const paragraph of section.methods) out.push(paragraph, '');
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function markdownTable(table: Table, csvPath: string): string[] {
  const lines = [`**${escapeMarkdown(table.title)}** ([CSV](${csvPath}))`, ''];
  if (table.rows.length === 0) return [...lines, 'None.'];
  const numeric = table.header.map((_, j) => table.rows.every((row) => typeof row[j] === 'number'));
  lines.push(`| ${table.header.map(cell).join(' | ')} |`);
  lines.push(`| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`);
  for (const row of table.rows) lines.push(`| ${table.header.map((_, j) => cell(row[j] ?? '')).join(' | ')} |`);
  return lines;
}

function cell(value: string | number): string {
  return typeof value === 'number' ? String(value) : escapeMarkdown(value);
}
