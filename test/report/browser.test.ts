/**
 * The report from a fresh pipeline run, as a reader gets it: every task has its panel, and
 * report.html, opened from disk in a real browser with the network cut off, draws every chart with
 * no console error and shows tooltips. Needs Chromium (/usr/bin/chromium or CHROMIUM_PATH); without
 * it the browser part is skipped and says how to enable it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../pipeline/classify/config.ts';
import { createOutputsReader } from '../../pipeline/report/outputs-reader.ts';
import { buildSections, renderReport } from '../../pipeline/report/render-report.ts';
import type { Reproduction } from '../../pipeline/report/reproduction.ts';
import type { ReportSection } from '../../pipeline/report/section.ts';
import { reproduce } from '../../pipeline/reproduce.ts';
import { STUDIES_DIR } from '../../pipeline/util/paths.ts';
import { htmlText, identifierLeaks } from './identifiers.ts';
import { makeTempDir, removeTempDirs } from './fixtures.ts';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path): path is string => !!path && existsSync(path));
const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

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
  it('has one panel per task, grouped by reproduced behaviour, each with its SVG figure', () => {
    const panels = sections.find((s) => s.id === 'tasks')!.charts;
    expect(panels.map((c) => c.id).sort()).toEqual(doc.tasks.map((t) => `task-${t.task}`).sort());
    const groups = [...new Set(panels.map((c) => c.group))];
    expect(groups).toHaveLength(new Set(doc.tasks.map((t) => t.reproduced)).size);
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
    'report.html draws every chart offline in Chromium, without console errors, with tooltips',
    async () => {
      const charts = sections.flatMap((s) => s.charts);
      const browser = await chromium.launch({ executablePath: CHROMIUM!, args: BROWSER_ARGS });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
        const errors: string[] = [];
        const network: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        page.on('pageerror', (error) => errors.push(String(error)));
        await page.route('**/*', (route) => {
          const url = route.request().url();
          if (url.startsWith('file:')) return route.continue();
          network.push(url);
          return route.abort();
        });
        await page.goto(pathToFileURL(join(outputs, 'report', 'report.html')).href);
        await page.waitForSelector('body[data-charts-rendered]', { timeout: 90_000 });

        expect(await page.getAttribute('body', 'data-charts-rendered')).toBe(String(charts.length));
        const drawn = await page.$$eval('[data-chart]', (containers) =>
          containers.map((el) => ({ id: el.getAttribute('data-chart'), graphics: el.querySelectorAll(':scope > svg, :scope > canvas').length })),
        );
        expect(drawn.map((d) => d.id)).toEqual(charts.map((c) => c.id));
        expect(drawn.filter((d) => d.graphics !== 1)).toEqual([]);

        // Tooltip: hovering a model's point names the model, its size, tokens and corpus.
        const panel = `task-${doc.tasks[0]!.task}`;
        await page.locator(`[data-chart="${panel}"] g.mark-symbol path`).first().hover();
        const tooltip = await page.getAttribute(`[data-chart="${panel}"]`, 'title');
        expect(tooltip).toMatch(/model: .+\nparameters: .+\ntokens: .+\ncorpus: .+/);

        expect(errors).toEqual([]);
        expect(network).toEqual([]);
        // Screenshots go to the test's own temp folder, never into the repository's outputs/.
        await page.evaluate(() => window.scrollTo(0, 0));
        mkdirSync(join(outputs, 'screenshots'), { recursive: true });
        await page.screenshot({ path: join(outputs, 'screenshots', 'headline.png') });
      } finally {
        await browser.close();
      }
    },
    180_000,
  );
});
