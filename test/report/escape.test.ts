/**
 * Contributed text (study titles, authors, task and model names) renders as text: a study titled
 * <script>alert(1)</script> shows literally in report.html and report.md and runs nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, jsonForScript, jsonPiecesForScript } from '../../pipeline/report/escape.ts';
import { inlineToHtml, markdownBlockToHtml } from '../../pipeline/report/markdown.ts';
import { renderReport } from '../../pipeline/report/render-report.ts';
import { CORE_SECTIONS, makeTempDir, removeTempDirs, writeSyntheticOutputs } from './fixtures.ts';

const TITLE = '<script>alert(1)</script>';
const TASK = '<img src=x onerror=alert(2)> **bold** | pipe [link](javascript:alert(3))';
const AUTHOR = 'Eve & <b>Mallory</b>';
const MODEL = '</script><script>alert(4)</script>';

describe('escape helpers', () => {
  it('escapeHtml escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('escapeMarkdown neutralises HTML, emphasis, links, tables, code and leading markers, and keeps snake_case readable', () => {
    expect(escapeMarkdown(TITLE)).toBe('\\<script\\>alert(1)\\</script\\>');
    expect(escapeMarkdown('**bold** _em_ `code` [a](b) x|y $m$ ~s~ &amp;')).toBe('\\*\\*bold\\*\\* \\_em\\_ \\`code\\` \\[a\\](b) x\\|y \\$m\\$ \\~s\\~ \\&amp;');
    expect(escapeMarkdown('# heading')).toBe('\\# heading');
    expect(escapeMarkdown('1. item')).toBe('1\\. item');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('two\nlines')).toBe('two lines');
    expect(escapeMarkdown('c4_val 0.25 +1 (x)')).toBe('c4_val 0.25 +1 (x)');
  });

  it('the Markdown-to-HTML converter turns escaped text back into the literal text, escaped for HTML', () => {
    expect(inlineToHtml(escapeMarkdown(TITLE))).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(inlineToHtml(escapeMarkdown(TASK))).toBe(escapeHtml(TASK));
    expect(inlineToHtml('**a** *b* `<c>` [d](figures/x.svg) [e](javascript:alert(1))')).toBe('<strong>a</strong> <em>b</em> <code>&lt;c&gt;</code> <a href="figures/x.svg">d</a> [e](javascript:alert(1))');
    expect(markdownBlockToHtml('intro:\n1. one\n2. two')).toBe('<p>intro:</p>\n<ol><li>one</li><li>two</li></ol>');
  });

  it('jsonForScript cannot close a script element', () => {
    const text = jsonForScript({ title: MODEL, note: '<!-- x -->' });
    expect(text).not.toMatch(/[<>]/);
    expect(JSON.parse(text)).toEqual({ title: MODEL, note: '<!-- x -->' });
  });

  it('jsonPiecesForScript makes jsonForScript piece by piece', () => {
    const object = { a: [1, { b: '</script>' }], 'c<d': undefined, e: null, 'f\u2028': 'x & y', g: () => 1 };
    const list = [{ a: 1 }, undefined, 'γ > 0', [2, 3]];
    for (const value of [object, list, {}, []]) expect([...jsonPiecesForScript(value)].join('')).toBe(jsonForScript(value));
  });
});

describe('a malicious study in the rendered report', () => {
  let html: string;
  let markdown: string;
  let outputs: string;
  beforeAll(async () => {
    outputs = makeTempDir();
    writeSyntheticOutputs(outputs, { studyTitle: TITLE, authors: [AUTHOR], taskName: TASK, modelName: MODEL });
    await renderReport(outputs, () => {}, CORE_SECTIONS);
    html = readFileSync(join(outputs, 'report', 'report.html'), 'utf8');
    markdown = readFileSync(join(outputs, 'report', 'report.md'), 'utf8');
  });
  afterAll(removeTempDirs);

  it('report.html shows the title and task name as text and contains no markup from them', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain(escapeHtml('<img src=x onerror=alert(2)>'));
    expect(html).toContain(escapeHtml('Eve & <b>Mallory</b>'));
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>Mallory');
    expect(html).not.toContain('href="javascript:');
    // Exactly the report's own script elements: the shared data, the specs, the Vega runtime, the renderer.
    expect(html.match(/<script[\s>]/g)).toHaveLength(4);
    expect(html.match(/<\/script>/g)).toHaveLength(4);
    // The chart specs carry the names (for titles and tooltips) only as escaped JSON.
    const specs = /<script id="vega-specs" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!;
    expect(specs).toContain('\\u003cimg src=x onerror=alert(2)\\u003e');
    const shared = /<script id="vega-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!;
    expect(JSON.stringify(JSON.parse(specs)) + JSON.stringify(JSON.parse(shared))).toContain(MODEL);
  });

  it('the static SVG figures carry the names as SVG text only', () => {
    for (const figure of ['task-beta.svg', 'confusion-matrix.svg']) {
      const svg = readFileSync(join(outputs, 'report', 'figures', figure), 'utf8');
      expect(svg).not.toMatch(/<img|<script/);
    }
    expect(readFileSync(join(outputs, 'report', 'figures', 'task-beta.svg'), 'utf8')).toContain('&lt;img src=x');
  });

  it('report.md shows them literally: every Markdown and HTML character escaped', () => {
    expect(markdown).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(markdown).toContain(escapeMarkdown(TASK));
    expect(markdown).toContain('Eve \\& \\<b\\>Mallory\\</b\\>');
    // No unescaped `<` before a tag name, and no link to javascript:.
    expect(markdown).not.toMatch(/(?<!\\)<(script|img|b>)|(?<!\\)\]\(javascript:/);
  });
});
