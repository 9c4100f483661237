/**
 * `make screenshots`: the review screenshots of outputs/report/report.html (top of the page, the
 * overview, the headline, a task grid) and its print to PDF, written to outputs/screenshots/.
 * Usage: tsx test/report/take-screenshots.ts [OUTPUTS_DIR]
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chartLayouts, launch, openReport, printPdf, takeScreenshots } from './browser-pages.ts';

const outputs = resolve(process.argv[2] ?? 'outputs');
const html = join(outputs, 'report', 'report.html');
if (!existsSync(html)) {
  console.error(`Error: ${html} not found: run make reproduce (or make report) first`);
  process.exit(1);
}
const browser = await launch();
try {
  const { page, errors } = await openReport(browser, html);
  const dir = join(outputs, 'screenshots');
  for (const path of await takeScreenshots(page, dir)) console.log(`screenshots: wrote ${path}`);
  const pages = await printPdf(page, join(dir, 'report.pdf'));
  console.log(`screenshots: wrote ${join(dir, 'report.pdf')} (${pages} pages)`);
  const layouts = await chartLayouts(page);
  const overlapping = layouts.filter((l) => l.overlaps.length > 0).map((l) => l.id);
  const narrow = layouts.filter((l) => !l.narrow && l.width < 0.6 * l.columnWidth).map((l) => l.id);
  console.log(`screenshots: ${layouts.length} charts; ${errors.length} console errors; narrower than 60% of the column: ${narrow.join(', ') || 'none'}; overlapping tick labels: ${overlapping.join(', ') || 'none'}`);
} finally {
  await browser.close();
}
