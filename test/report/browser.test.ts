/**
 * The report from a fresh pipeline run, as a reader gets it: every task has its panel, and
 * report.html, opened from disk in a real browser with the network cut off, draws every chart with
 * no console error and shows tooltips. Needs Chromium (/usr/bin/chromium or CHROMIUM_PATH); without
 * it the browser part is skipped and says how to enable it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { createOutputsReader } from '../../pipeline/report/outputs-reader.ts';
import { buildSections, renderReport } from '../../pipeline/report/render-report.ts';
import type { Reproduction } from '../../pipeline/report/reproduction.ts';
import type { ReportSection } from '../../pipeline/report/section.ts';
import { reproduce } from '../../pipeline/reproduce.ts';
import { STUDIES_DIR } from '../../pipeline/util/paths.ts';
import { chartLayouts, CHROMIUM, launch, openReport, printPdf, takeScreenshots } from './browser-pages.ts';
import { htmlText, identifierLeaks } from './identifiers.ts';
import { makeTempDir, removeTempDirs } from './fixtures.ts';


// Under CI=true the browser test must run: no Chromium is a failure, not a skip (.ci/run installs it).
const REQUIRED = process.env.CI === 'true';
if (!CHROMIUM && !REQUIRED) {
  console.warn(
    'browser test SKIPPED: no Chromium found at $CHROMIUM_PATH or /usr/bin/chromium. ' +
      'To run it, install Chromium (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chromium executable.',
  );
}

let outputs: string;
let sections: ReportSection[];
let doc: Reproduction;

beforeAll(async () => {
  outputs = makeTempDir('report-browser-');
  const config = loadConfig();
  // Few replicates: this checks the report, not the statistics.
  config.bootstrap.replicates = 20;
  config.sensitivity.replicates = 20;
  await reproduce({ config, studiesDir: STUDIES_DIR, outputsDir: outputs });
  await renderReport(outputs);
  sections = buildSections(createOutputsReader(outputs));
  doc = JSON.parse(readFileSync(join(outputs, 'reproduction.json'), 'utf8')) as Reproduction;
}, 360_000);
afterAll(removeTempDirs);

describe('report of a fresh pipeline run', () => {
  it('has one grid per reproduced behaviour and every task panel alone, each with its SVG figure', () => {
    const charts = sections.find((s) => s.id === 'tasks')!.charts;
    expect(charts.filter((c) => c.linkOnly).map((c) => c.id).sort()).toEqual(doc.tasks.map((t) => `task-${t.task}`).sort());
    expect(charts.filter((c) => !c.linkOnly)).toHaveLength(new Set(doc.tasks.map((t) => t.reproduced)).size);
    for (const chart of sections.flatMap((s) => s.charts)) {
      expect(existsSync(join(outputs, 'report', 'figures', `${chart.id}.svg`)), chart.id).toBe(true);
      expect(existsSync(join(outputs, 'report', 'figures', `${chart.id}.png`)), chart.id).toBe(false); // PNGs only on demand
    }
    const markdown = readFileSync(join(outputs, 'report', 'report.md'), 'utf8');
    expect(markdown).toContain(`${doc.published.predictable} of ${doc.published.total} tasks scale predictably`);
    expect(markdown).toContain(`${doc.reproduced.predictable} of ${doc.reproduced.total} (`);
  });

  if (!CHROMIUM && REQUIRED) {
    it('Chromium is available (required under CI=true)', () => {
      expect.fail('no Chromium at $CHROMIUM_PATH or /usr/bin/chromium; under CI=true the browser test must run (.ci/run installs Chromium)');
    });
  }

  it('says everything in words: no internal identifier in report.md or the text of report.html', () => {
    expect(identifierLeaks(readFileSync(join(outputs, 'report', 'report.md'), 'utf8'))).toEqual([]);
    expect(identifierLeaks(htmlText(readFileSync(join(outputs, 'report', 'report.html'), 'utf8')))).toEqual([]);
  });

  (CHROMIUM ? it : it.skip)(
    'report.html in Chromium: every chart drawn offline without console errors, one legend per task grid, charts as wide as the text column, no overlapping tick labels, tooltips, print to PDF',
    async () => {
      const drawnCharts = sections.flatMap((s) => s.charts).filter((c) => !c.linkOnly);
      const browser = await launch();
      try {
        const { page, errors, network } = await openReport(browser, join(outputs, 'report', 'report.html'));
        expect(await page.getAttribute('body', 'data-charts-rendered')).toBe(String(drawnCharts.length));
        const drawn = await page.$$eval('[data-chart]', (containers) =>
          containers.map((el) => ({ id: el.getAttribute('data-chart'), graphics: el.querySelectorAll(':scope > svg, :scope > canvas').length })),
        );
        expect(drawn.map((d) => d.id)).toEqual(drawnCharts.map((c) => c.id));
        expect(drawn.filter((d) => d.graphics !== 1)).toEqual([]);

        const layouts = await chartLayouts(page);
        // One legend per task grid: every legend of a grid is drawn once, not once per panel.
        const grids = layouts.filter((l) => l.id.startsWith('tasks-'));
        expect(grids.length).toBeGreaterThan(0);
        for (const grid of grids) {
          expect(grid.legends.length, grid.id).toBeGreaterThan(0);
          expect(new Set(grid.legends).size, `${grid.id}: ${grid.legends.join(', ')}`).toBe(grid.legends.length);
        }
        // Charts span the text column unless narrow by design; text never shrinks below 11 px; tick labels never collide.
        expect(layouts.filter((l) => !l.narrow && l.width < 0.6 * l.columnWidth).map((l) => `${l.id}: ${Math.round(l.width)} of ${Math.round(l.columnWidth)} px`)).toEqual([]);
        expect(layouts.filter((l) => l.smallestFont < 10.5).map((l) => `${l.id}: ${l.smallestFont.toFixed(1)} px`)).toEqual([]);
        expect(layouts.filter((l) => l.overlaps.length > 0).map((l) => `${l.id}: ${l.overlaps.slice(0, 3).join('; ')}`)).toEqual([]);

        // Tooltip: hovering a model's point in a task grid names the task, the model, its size and corpus.
        const grid = grids[0]!.id;
        await page.locator(`[data-chart="${grid}"] g.mark-symbol path`).first().hover();
        const tooltip = await page.getAttribute(`[data-chart="${grid}"]`, 'title');
        expect(tooltip).toMatch(/task: .+\nmodel: .+\nparameters: .+\ncorpus: .+/);

        expect(errors).toEqual([]);
        expect(network).toEqual([]);

        // Screenshots and the PDF go to the test's own temp folder, never into the repository's outputs/.
        const shots = await takeScreenshots(page, join(outputs, 'screenshots'));
        expect(shots.map((p) => basename(p))).toEqual(expect.arrayContaining(['top.png', 'headline.png', 'task-grid.png']));
        const pages = await printPdf(page, join(outputs, 'screenshots', 'report.pdf'));
        // Sane: more than a cover page, and not one page per chart or worse.
        expect(pages).toBeGreaterThan(3);
        expect(pages).toBeLessThan(20 + 3 * drawnCharts.length);
      } finally {
        await browser.close();
      }
    },
    300_000,
  );
});
