/**
 * Rendering: the synchronous SVG path gives exactly what vega's own asynchronous toSVG() gives, the
 * output does not depend on what was rendered before, and two runs write byte-identical files.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutputsReader } from '../../pipeline/report/outputs-reader.ts';
import { compileChart, normalizeSvgIds, renderSvg } from '../../pipeline/report/render-chart.ts';
import { rasterizeFigures, svgToPng } from '../../pipeline/report/render-png.ts';
import { buildSections, fitToColumn, renderReport } from '../../pipeline/report/render-report.ts';
import type { Chart } from '../../pipeline/report/section.ts';
import { CORE_SECTIONS, makeTempDir, removeTempDirs, writeSyntheticOutputs } from './fixtures.ts';
import { filesBelow } from '../helpers/files.ts';

let outputs: string;
let charts: Chart[];
let written: string[];

beforeAll(async () => {
  outputs = makeTempDir();
  writeSyntheticOutputs(outputs);
  charts = buildSections(createOutputsReader(outputs), CORE_SECTIONS).flatMap((s) => s.charts);
  written = await renderReport(outputs, () => {}, CORE_SECTIONS);
});
afterAll(removeTempDirs);

describe('chart rendering', () => {
  it('the synchronous SVG equals vega View.toSVG() for every chart', async () => {
    for (const chart of charts) {
      const spec = compileChart(chart.spec);
      const view = new vega.View(vega.parse(spec), { renderer: 'none' });
      const expected = normalizeSvgIds(await view.toSVG());
      view.finalize();
      expect(renderSvg(spec), chart.id).toBe(expected);
    }
  });

  it('charts that share expression texts (compiled once, bound to each chart) each draw their own data', async () => {
    // Same encoders and label expression, which calls vega's format and reads the chart's own
    // parameter (both through the chart's function table); different data and parameter values.
    const chart = (tag: string, values: { k: string; v: number }[]) =>
      compileChart({
        params: [{ name: 'tag', value: tag }],
        data: { values },
        transform: [{ calculate: "format(datum.v, '.3f') + ' ' + upper(datum.k) + ' ' + tag", as: 'label' }],
        mark: 'text',
        encoding: { y: { field: 'k', type: 'nominal' }, text: { field: 'label', type: 'nominal' } },
      } as TopLevelSpec);
    const first = chart('one', [{ k: 'a', v: 1 / 3 }]);
    const second = chart('two', [{ k: 'b', v: 2 / 3 }, { k: 'c', v: 5 }]);
    const drawn = [renderSvg(first), renderSvg(second), renderSvg(first)];
    expect(drawn[0]).toContain('0.333 A one');
    expect(drawn[1]).toContain('0.667 B two');
    expect(drawn[1]).toContain('5.000 C two');
    expect(drawn[2]).toBe(drawn[0]);
    for (const [spec, svg] of [[first, drawn[0]], [second, drawn[1]]] as const) {
      const view = new vega.View(vega.parse(spec), { renderer: 'none' });
      expect(svg).toBe(normalizeSvgIds(await view.toSVG()));
      view.finalize();
    }
  });

  it('a chart renders the same whatever was rendered before it (gradient and clip ids are per SVG)', () => {
    const confusion = compileChart(charts.find((c) => c.id === 'confusion-matrix')!.spec);
    const first = renderSvg(confusion);
    for (const chart of charts) renderSvg(compileChart(chart.spec));
    expect(renderSvg(confusion)).toBe(first);
    expect(first).toContain('id="gradient_0"');
  });

  it('writes an SVG (and no PNG) for every chart, a CSV per table, report.html and report.md', () => {
    const names = written.map((path) => relative(join(outputs, 'report'), path));
    for (const chart of charts) expect(names).toContain(`figures/${chart.id}.svg`);
    expect(names.filter((n) => n.endsWith('.png'))).toEqual([]);
    expect(readdirSync(join(outputs, 'report', 'figures')).filter((n) => n.endsWith('.png'))).toEqual([]);
    expect(names).toContain('report.html');
    expect(names).toContain('report.md');
    expect(names.filter((n) => n.startsWith('tables/'))).toHaveLength(5);
    expect(readFileSync(join(outputs, 'report', 'report.md'), 'utf8')).not.toContain('.png');
  });

  it('rasterizes a PNG beside every SVG on demand, the same bytes every time, and only the missing ones unless asked', () => {
    const copy = makeTempDir();
    const report = join(copy, 'report');
    mkdirSync(join(report, 'figures'), { recursive: true });
    const svgs = readdirSync(join(outputs, 'report', 'figures')).filter((n) => n.endsWith('.svg')).slice(0, 3);
    for (const name of svgs) copyFileSync(join(outputs, 'report', 'figures', name), join(report, 'figures', name));
    const first = rasterizeFigures(report);
    expect(first).toEqual(svgs.map((n) => join('figures', n.replace(/\.svg$/, '.png'))));
    const bytes = first.map((png) => readFileSync(join(report, png)));
    for (const png of bytes) expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(rasterizeFigures(report)).toEqual([]);
    expect(rasterizeFigures(report, { all: true })).toEqual(first);
    first.forEach((png, i) => expect(readFileSync(join(report, png)).equals(bytes[i]!), png).toBe(true));
    expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>').length).toBeGreaterThan(0);
  });

  it('report.html embeds one compiled spec per chart container (charts only linked to are files, not containers), and the Vega runtime', () => {
    const html = readFileSync(join(outputs, 'report', 'report.html'), 'utf8');
    const drawn = charts.filter((c) => !c.linkOnly).map((c) => c.id);
    const containers = [...html.matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(containers).toEqual(drawn);
    const specs = JSON.parse(/<script id="vega-specs" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!) as Record<string, unknown>;
    expect(Object.keys(specs)).toEqual(drawn);
    for (const chart of charts.filter((c) => c.linkOnly)) expect(html).toContain(`href="figures/${chart.id}.svg"`);
    expect(html).toContain('vega.View(vega.parse(spec)');
    expect(html).toMatch(/hover: true/);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });

  it('two runs write byte-identical files, and stale figures are removed', async () => {
    const before = filesBelow(join(outputs, 'report'));
    await renderReport(outputs, () => {}, CORE_SECTIONS);
    const after = filesBelow(join(outputs, 'report'));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [name, contents] of before) expect(after.get(name)!.equals(contents), name).toBe(true);
    // A report without the task panels drops their figures.
    await renderReport(outputs, () => {}, CORE_SECTIONS.slice(0, 2));
    expect(readdirSync(join(outputs, 'report', 'figures')).some((n) => n.startsWith('task-'))).toBe(false);
  });

  it('passes Vega-Lite warnings on, except the one every step-height chart fitted to the column gets', () => {
    const bars = { data: { values: [{ a: 'x', b: 1 }] }, mark: 'bar', encoding: { y: { field: 'a', type: 'nominal' }, x: { field: 'b', type: 'quantitative' } }, height: { step: 15 } };
    const warnings: string[] = [];
    compileChart(fitToColumn({ id: 'bars', title: 'bars', spec: bars } as Chart), (message) => warnings.push(message));
    expect(warnings).toEqual([]);
    compileChart({ ...bars, encoding: { ...bars.encoding, color: { field: 'a', type: 'nominal', scale: { type: 'log' } } } } as never, (message) => warnings.push(message));
    expect(warnings.length).toBeGreaterThan(0);
  });
});
