/**
 * report.html in a real browser, as a reader sees it: open it offline, wait for every chart, measure
 * the layout (legends per task grid, chart widths against the text column, tick labels that
 * overlap, font sizes), print it to PDF and take the review screenshots. Shared by the browser test
 * (which writes into its temp folder) and `make screenshots` (which writes into outputs/).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path): path is string => !!path && existsSync(path));
const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launch(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('no Chromium found at $CHROMIUM_PATH or /usr/bin/chromium (Debian/Ubuntu: apt-get install chromium)');
  return chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
}

export interface OpenedReport {
  page: Page;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Requests that left the file system (all are refused). */
  network: string[];
}

/** Open report.html with the network cut off and wait until every chart is drawn. */
export async function openReport(browser: Browser, htmlPath: string, width = 1280): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport: { width, height: 1800 } });
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
  await page.goto(pathToFileURL(htmlPath).href);
  await page.waitForSelector('body[data-charts-rendered]', { timeout: 120_000 });
  return { page, errors, network };
}

export interface ChartLayout {
  id: string;
  /** Rendered width of the chart, and of the text column it sits in. */
  width: number;
  columnWidth: number;
  /** Whether the chart is declared narrow by design (data-narrow). */
  narrow: boolean;
  /** Titles of the chart's legends, one per legend drawn. */
  legends: string[];
  /** Pairs of tick labels of one axis whose boxes overlap. */
  overlaps: string[];
  /** Smallest rendered font size of any text in the chart, in CSS pixels. */
  smallestFont: number;
}

/** Layout of every drawn chart. */
export async function chartLayouts(page: Page): Promise<ChartLayout[]> {
  return page.$$eval('[data-chart]', (containers) => {
    const column = document.querySelector('main')!;
    const style = getComputedStyle(column);
    const columnWidth = column.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return containers.map((el) => {
      const svg = el.querySelector('svg');
      const legends = Array.from(el.querySelectorAll('g.role-legend')).map((legend) => legend.querySelector('g.role-legend-title text')?.textContent ?? '');
      const overlaps: string[] = [];
      for (const axis of Array.from(el.querySelectorAll('g.role-axis'))) {
        const labels = Array.from(axis.querySelectorAll('g.role-axis-label text')).filter((t) => (t as SVGTextElement).getAttribute('opacity') !== '0' && t.textContent !== '');
        const boxes = labels.map((t) => ({ text: t.textContent ?? '', box: t.getBoundingClientRect() }));
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i]!.box;
            const b = boxes[j]!.box;
            const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
            if (overlap) overlaps.push(`${boxes[i]!.text} / ${boxes[j]!.text}`);
          }
        }
      }
      const texts = Array.from(el.querySelectorAll('svg text'));
      const sizes = texts.map((t) => {
        const scale = svg ? svg.getBoundingClientRect().width / (svg.width.baseVal.value || svg.getBoundingClientRect().width) : 1;
        return parseFloat(getComputedStyle(t).fontSize) * scale;
      });
      return {
        id: el.getAttribute('data-chart') ?? '',
        width: svg ? svg.getBoundingClientRect().width : 0,
        columnWidth,
        narrow: el.closest('[data-narrow]') !== null,
        legends,
        overlaps,
        smallestFont: sizes.length > 0 ? Math.min(...sizes) : Infinity,
      };
    });
  });
}

/** Print to PDF (A4, print CSS applied) and return the number of pages. */
export async function printPdf(page: Page, path: string): Promise<number> {
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ path, format: 'A4', printBackground: true, margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' } });
  await page.emulateMedia({ media: 'screen' });
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

/** Screenshots for review: the headline, the first task grid and the overview (or the first section). */
export async function takeScreenshots(page: Page, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const shoot = async (name: string, selector: string): Promise<void> => {
    const target = page.locator(selector).first();
    if ((await target.count()) === 0) return;
    const path = join(dir, `${name}.png`);
    await target.screenshot({ path });
    written.push(path);
  };
  await page.evaluate(() => window.scrollTo(0, 0));
  const path = join(dir, 'top.png');
  await page.screenshot({ path });
  written.push(path);
  await shoot('overview', 'section[data-section="overview"]');
  await shoot('headline', 'section[data-section^="headline"]');
  await shoot('task-grid', 'figure:has([data-chart^="tasks-"])');
  await shoot('study', 'section[data-section^="study-"]');
  return written;
}
