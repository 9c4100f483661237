/**
 * report.html: one self-contained file that works opened from disk without a network. The Vega
 * runtime is inlined from node_modules, the compiled Vega specs are embedded as JSON, and each chart
 * is drawn into its container with tooltips (vega's default handler: the title attribute).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { escapeHtml, jsonPiecesForScript } from './escape.ts';
import { chartRuns, figurePath, linkedCharts, METHODS_HEADING, outline, REPORT_TITLE, tableId, tablePath } from './layout.ts';
import type { ReportContext } from './markdown-report.ts';
import { markdownBlockToHtml } from './markdown.ts';
import type { VegaSpec } from './render-chart.ts';
import type { Chart, ReportSection, Table } from './section.ts';
import { FONT, TEXT_COLUMN_WIDTH } from './theme.ts';

let vegaRuntime: string | undefined;

/** vega.min.js from node_modules, checked to be safe to inline in a script element. */
export function vegaRuntimeSource(): string {
  if (vegaRuntime !== undefined) return vegaRuntime;
  const require = createRequire(import.meta.url);
  // The package exports only its module build; the browser bundle sits beside it.
  const path = join(dirname(require.resolve('vega')), 'vega.min.js');
  const source = readFileSync(path, 'utf8');
  if (/<\/script|<!--|<script/i.test(source)) throw new Error(`${path} contains text that would end an inline script element; it cannot be inlined`);
  vegaRuntime = source;
  return source;
}

/**
 * report.html as pieces whose concatenation is the page, made as they are written: the embedded
 * specs alone are megabytes, so the page is never one string.
 */
export function* htmlReport(sections: readonly ReportSection[], specs: ReadonlyMap<string, VegaSpec>, context: ReportContext): Generator<string> {
  const { results, resultAnchors, withMethods, methodsAnchor } = outline(sections);

  const body: string[] = [];
  body.push(`<h1>${escapeHtml(REPORT_TITLE)}</h1>`);
  const data = context.dataFiles.map((f) => `<a href="../${escapeHtml(encodeURI(f))}">${escapeHtml(f)}</a>`).join(', ');
  body.push(`<p class="lead">Built by <code>make report</code> from the files in <code>outputs/</code>${data ? ` (${data})` : ''}. Hover over a point or a bar for details. The static version is <a href="report.md">report.md</a>.</p>`);
  const toc = results.map((s, i) => `<li><a href="#${escapeHtml(resultAnchors[i]!)}">${escapeHtml(s.title)}</a></li>`);
  if (withMethods.length > 0) toc.push(`<li><a href="#${escapeHtml(methodsAnchor)}">${METHODS_HEADING}</a></li>`);
  body.push(`<nav><ol>${toc.join('')}</ol></nav>`);

  results.forEach((section, i) => {
    body.push(`<section id="${escapeHtml(resultAnchors[i]!)}" data-section="${escapeHtml(section.id)}">`);
    body.push(`<h2>${escapeHtml(section.title)}</h2>`);
    for (const paragraph of section.summary) body.push(markdownBlockToHtml(paragraph));
    for (const run of chartRuns(section.charts)) {
      if (run.group !== undefined) {
        body.push(`<h3>${escapeHtml(run.group)}</h3>`);
        body.push(`<div class="small-multiples">${run.charts.map((c) => figure(c, true)).join('')}</div>`);
      } else {
        body.push(figure(run.charts[0]!, false));
      }
    }
    const linked = linkedCharts(section.charts);
    if (linked.length > 0) body.push(`<p class="linked">Each panel alone (SVG): ${linked.map((c) => `<a href="${escapeHtml(figurePath(c, 'svg'))}">${escapeHtml(c.title)}</a>`).join(', ')}.</p>`);
    section.tables.forEach((table, j) => body.push(htmlTable(table, tablePath(tableId(section, table, j)))));
    body.push('</section>');
  });

  if (withMethods.length > 0) {
    body.push(`<section id="${escapeHtml(methodsAnchor)}" data-section="methods-chapter">`, `<h2>${METHODS_HEADING}</h2>`);
    for (const section of withMethods) {
      body.push(`<h3>${escapeHtml(section.title)}</h3>`);
      for (const paragraph of section.methods) body.push(markdownBlockToHtml(paragraph));
    }
    body.push('</section>');
  }

  // Only charts drawn on the page carry their spec; charts only linked to are files in figures/.
  const drawn = new Set(sections.flatMap((s) => s.charts.filter((c) => !c.linkOnly).map((c) => c.id)));
  const { specs: specObject, shared } = shareRepeated(new Map([...specs].filter(([id]) => drawn.has(id))));
  const head = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(REPORT_TITLE)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    '</main>',
    '',
  ].join('\n');
  yield head;
  yield '<script id="vega-data" type="application/json">';
  yield* jsonPiecesForScript(shared);
  yield '</script>\n<script id="vega-specs" type="application/json">';
  yield* jsonPiecesForScript(specObject);
  yield '</script>\n<script>';
  yield vegaRuntimeSource();
  yield `</script>\n<script>${RENDER_SCRIPT}</script>\n</body>\n</html>\n`;
}

/** Repeated parts smaller than this (in JSON characters) stay inline. */
const MIN_SHARED_CHARS = 120;

/**
 * Parts that the compiled specs repeat (the table of models every task panel looks up, and the
 * scales, axes, legends and config that charts of one kind have in common) are stored once: each
 * occurrence becomes {"$shared": index} and the page puts a fresh copy back before parsing. Greedy
 * from the top: the largest repeated subtree is shared whole. Specs are not changed: what holds a
 * shared part is copied, the rest is used as it is.
 * Subtrees are compared by their JSON text, through jsonIdentities (one pass, not one
 * JSON.stringify per subtree).
 */
export function shareRepeated(specs: ReadonlyMap<string, VegaSpec>): { specs: Record<string, VegaSpec>; shared: unknown[] } {
  const identity = jsonIdentities();
  const counts = new Map<number, number>();
  const count = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const { id, length, leaf } = identity(node);
    if (length < MIN_SHARED_CHARS) return;
    counts.set(id, (counts.get(id) ?? 0) + 1);
    if (!leaf) for (const child of Object.values(node)) count(child);
  };
  for (const spec of specs.values()) for (const child of Object.values(spec)) count(child);

  const index = new Map<number, number>();
  const shared: unknown[] = [];
  const replace = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    const { id, length, leaf } = identity(node);
    if (length >= MIN_SHARED_CHARS && (counts.get(id) ?? 0) >= 2) {
      if (!index.has(id)) {
        index.set(id, shared.length);
        shared.push(node);
      }
      return { $shared: index.get(id)! };
    }
    if (leaf) return node;
    // A subtree with nothing shared in it is kept as it is, not copied (its JSON is the same).
    let changed = false;
    const keep = (child: unknown): unknown => {
      const replaced = replace(child);
      if (replaced !== child) changed = true;
      return replaced;
    };
    if (Array.isArray(node)) {
      const items = node.map(keep);
      return changed ? items : node;
    }
    const entries = Object.entries(node).map(([k, v]) => [k, keep(v)] as const);
    return changed ? Object.fromEntries(entries) : node;
  };
  const out: Record<string, VegaSpec> = {};
  for (const [id, spec] of specs) out[id] = Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, replace(v)])) as VegaSpec;
  return { specs: out, shared };
}

/** A node's identity; `leaf`: nothing inside it can be shared, so there is no need to look inside. */
interface JsonIdentity {
  id: number;
  length: number;
  leaf?: boolean;
}

const isPrimitive = (value: unknown): boolean => value === null || typeof value !== 'object';

/** A primitive, or an object of primitives only too short to be shared (a data row). */
function cannotBeShared(value: unknown): boolean {
  return isPrimitive(value) || (Object.values(value as object).every(isPrimitive) && (JSON.stringify(value)?.length ?? 0) < MIN_SHARED_CHARS);
}

/**
 * For plain JSON data (objects, arrays, primitives): an id per object or array, equal for two
 * values exactly when their JSON.stringify texts are equal, and that text's length. Built bottom
 * up by interning each node's entries (key texts and child ids), so every node is visited once.
 */
export function jsonIdentities(): (node: object) => JsonIdentity {
  const ids = new Map<string, number>();
  const memo = new WeakMap<object, JsonIdentity>();
  const intern = (canonical: string): number => {
    let id = ids.get(canonical);
    if (id === undefined) ids.set(canonical, (id = ids.size));
    return id;
  };
  // A value's id and JSON length; undefined for what JSON leaves out (undefined, functions, symbols).
  const value = (v: unknown): JsonIdentity | undefined => {
    if (v !== null && typeof v === 'object') return node(v);
    const text = JSON.stringify(v) as string | undefined;
    return text === undefined ? undefined : { id: intern(`p${text}`), length: text.length };
  };
  const node = (v: object): JsonIdentity => {
    const known = memo.get(v);
    if (known) return known;
    // A node none of whose children can be shared (a data row, a list of numbers, a chart's data: most
    // nodes) is identified by its JSON text alone, without ids for its children (hundreds of thousands of rows).
    if (Object.values(v).every(cannotBeShared)) {
      const text = JSON.stringify(v);
      const result = { id: intern(`j${text}`), length: text.length, leaf: true };
      memo.set(v, result);
      return result;
    }
    const parts: string[] = [];
    let length = 2;
    if (Array.isArray(v)) {
      for (const item of v) {
        const child = value(item) ?? value(null)!;
        parts.push(String(child.id));
        length += child.length;
      }
    } else {
      for (const [k, item] of Object.entries(v)) {
        const child = value(item);
        if (child === undefined) continue;
        const key = JSON.stringify(k);
        parts.push(`${key}:${child.id}`);
        length += key.length + 1 + child.length;
      }
    }
    if (parts.length > 1) length += parts.length - 1;
    const result = { id: intern(`${Array.isArray(v) ? 'a' : 'o'}${parts.join(',')}`), length };
    memo.set(v, result);
    return result;
  };
  return node;
}

function figure(chart: Chart, small: boolean): string {
  // Small multiples carry no caption: their title is in the chart, their files are figures/<id>.svg|png.
  const links = `<a href="${escapeHtml(figurePath(chart, 'svg'))}">SVG</a> · <a href="${escapeHtml(figurePath(chart, 'png'))}">PNG</a>`;
  const caption = small ? '' : `<figcaption>${escapeHtml(chart.title)}.${chart.caption ? ` ${markdownBlockToHtml(chart.caption).replace(/^<p>|<\/p>$/g, '')}` : ''} ${links}</figcaption>`;
  return (
    `<figure class="chart${small ? ' small' : ''}" id="figure-${escapeHtml(chart.id)}"${small || chart.narrow ? ' data-narrow' : ''}>` +
    `<div class="vega-chart" data-chart="${escapeHtml(chart.id)}" role="img" aria-label="${escapeHtml(chart.title)}"></div>` +
    `<noscript><img src="${escapeHtml(figurePath(chart, 'svg'))}" alt="${escapeHtml(chart.title)}"></noscript>` +
    `${caption}</figure>`
  );
}

function htmlTable(table: Table, csvPath: string): string {
  const numeric = table.header.map((_, j) => table.rows.length > 0 && table.rows.every((row) => typeof row[j] === 'number'));
  const head = `<tr>${table.header.map((h, j) => `<th${numeric[j] ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const rows = table.rows.map((row) => `<tr>${table.header.map((_, j) => `<td${numeric[j] ? ' class="num"' : ''}>${escapeHtml(row[j] ?? '')}</td>`).join('')}</tr>`);
  const caption = `<caption>${escapeHtml(table.title)} <a href="${escapeHtml(csvPath)}">CSV</a></caption>`;
  if (table.rows.length === 0) return `<table>${caption}<tbody><tr><td>None.</td></tr></tbody></table>`;
  return `<div class="table-wrap"><table>${caption}<thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}

const STYLE = [
  `body{margin:0;font-family:${FONT};color:#1a1a1a;background:#fff;line-height:1.5}`,
  // The text column: charts are drawn for exactly this width (theme.ts), so they are never scaled down on a desktop screen.
  `main{max-width:${TEXT_COLUMN_WIDTH}px;margin:0 auto;padding:24px}`,
  '.vega-chart svg{max-width:100%;height:auto}',
  '.vega-chart{overflow-x:auto}',
  'h1{font-size:1.8em;margin:0 0 .3em}',
  'h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}',
  'h3{margin-top:1.5em}',
  '.lead{color:#444}',
  'nav ol{padding-left:1.4em}',
  'figure{margin:1em 0}',
  'figure.small{margin:0}',
  'figcaption{font-size:.85em;color:#555}',
  '.small-multiples{display:flex;flex-wrap:wrap;gap:10px 12px}',
  '.vega-chart{min-height:40px}',
  '.table-wrap{overflow-x:auto;margin:1em 0}',
  'table{border-collapse:collapse;font-size:.9em;margin:1em 0}',
  'caption{text-align:left;font-weight:bold;padding-bottom:.3em}',
  'caption a{font-weight:normal;font-size:.9em}',
  'th,td{border-bottom:1px solid #e4e4e4;padding:3px 10px;text-align:left;vertical-align:top}',
  'th{background:#f6f6f6}',
  '.num{text-align:right;font-variant-numeric:tabular-nums}',
  'code{background:#f3f3f3;padding:0 3px;border-radius:3px}',
  '.linked{font-size:.85em;color:#555}',
  // Print: one figure never split across pages, headings kept with what follows, no navigation chrome.
  '@media print{main{max-width:none;padding:0}figure,.vega-chart,tr{break-inside:avoid;page-break-inside:avoid}h2,h3,caption{break-after:avoid;page-break-after:avoid}h2{break-before:auto}a{color:inherit;text-decoration:none}.table-wrap{overflow:visible}nav{break-after:page}.vega-chart svg{max-width:100%}}',
  '@page{size:A4;margin:15mm 12mm}',
].join('\n');

/** Draw every chart container; sets data-charts-rendered on <body> when all are done (for tests). */
const RENDER_SCRIPT = `
(function () {
  var shared = document.getElementById('vega-data').textContent;
  var specs = JSON.parse(document.getElementById('vega-specs').textContent);
  var sharedData = null;
  // Put back the parts stored once ({"$shared": i}), a fresh copy each time: vega marks what it ingests.
  function restore(node) {
    if (node === null || typeof node !== 'object') return node;
    if (!Array.isArray(node) && Object.keys(node).length === 1 && typeof node.$shared === 'number') {
      sharedData = sharedData || JSON.parse(shared);
      return restore(JSON.parse(JSON.stringify(sharedData[node.$shared])));
    }
    if (Array.isArray(node)) return node.map(restore);
    var out = {};
    Object.keys(node).forEach(function (key) { out[key] = restore(node[key]); });
    return out;
  }
  var containers = Array.prototype.slice.call(document.querySelectorAll('[data-chart]'));
  var failed = 0;
  Promise.all(containers.map(function (el) {
    var spec = specs[el.getAttribute('data-chart')];
    if (spec) spec = restore(spec);
    if (!spec) { failed++; el.textContent = 'Missing chart specification.'; return Promise.resolve(); }
    var view = new vega.View(vega.parse(spec), { renderer: 'svg', container: el, hover: true });
    return view.runAsync().catch(function (error) {
      failed++;
      el.textContent = 'This chart could not be drawn: ' + error.message;
      console.error(error);
    });
  })).then(function () {
    document.body.setAttribute('data-charts-rendered', String(containers.length - failed));
  });
})();
`;
