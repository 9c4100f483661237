/**
 * The small Markdown subset that section summaries and methods use, turned into HTML for report.html:
 * paragraphs, "- " and "1. " lists, **bold**, *emphasis*, `code`, [links](relative/or/https) and
 * backslash escapes (as written by escapeMarkdown). Everything else is text: the output never
 * contains markup that was not produced here, so contributed text that was escaped stays text.
 */
import { escapeHtml } from './escape.ts';

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

/** One Markdown block (a section's paragraph, possibly with list lines) as HTML. */
export function markdownBlockToHtml(markdown: string): string {
  const parts: string[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;
  const flushParagraph = (): void => {
    if (paragraph.length > 0) parts.push(`<p>${inlineToHtml(paragraph.join(' '))}</p>`);
    paragraph = [];
  };
  const flushList = (): void => {
    if (list) {
      const tag = list.ordered ? 'ol' : 'ul';
      parts.push(`<${tag}>${list.items.map((item) => `<li>${inlineToHtml(item)}</li>`).join('')}</${tag}>`);
    }
    list = undefined;
  };
  for (const rawLine of markdown.split('\n')) {
    const line = rawLine.trim();
    const bullet = /^[-*] (.*)$/.exec(line);
    const numbered = /^\d+\. (.*)$/.exec(line);
    if (line === '') {
      flushParagraph();
      flushList();
    } else if (bullet || numbered) {
      flushParagraph();
      const ordered = numbered !== null;
      if (list && list.ordered !== ordered) flushList();
      list ??= { ordered, items: [] };
      list.items.push((bullet ?? numbered)![1]!);
    } else if (list && /^\s{2,}/.test(rawLine)) {
      list.items[list.items.length - 1] += ` ${line}`;
    } else {
      flushList();
      paragraph.push(line);
    }
  }
  flushParagraph();
  flushList();
  return parts.join('\n');
}

/** Inline Markdown as HTML. */
export function inlineToHtml(text: string): string {
  let out = '';
  let strong = false;
  let em = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const rest = text.slice(i);
    if (c === '\\' && i + 1 < text.length && PUNCTUATION.test(text[i + 1]!)) {
      out += escapeHtml(text[i + 1]!);
      i += 2;
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) {
        out += '`';
        i += 1;
      } else {
        out += `<code>${escapeHtml(text.slice(i + 1, end))}</code>`;
        i = end + 1;
      }
    } else if (rest.startsWith('**')) {
      out += strong ? '</strong>' : '<strong>';
      strong = !strong;
      i += 2;
    } else if (c === '*') {
      out += em ? '</em>' : '<em>';
      em = !em;
      i += 1;
    } else if (c === '[') {
      const link = matchLink(text, i);
      if (link) {
        out += `<a href="${escapeHtml(link.href)}">${inlineToHtml(link.label)}</a>`;
        i = link.end;
      } else {
        out += '[';
        i += 1;
      }
    } else {
      out += escapeHtml(c);
      i += 1;
    }
  }
  if (em) out += '</em>';
  if (strong) out += '</strong>';
  return out;
}

/** `[label](href)` starting at `start`, honouring backslash escapes in the label; only relative, #, http(s) links. */
function matchLink(text: string, start: number): { label: string; href: string; end: number } | undefined {
  let i = start + 1;
  while (i < text.length && text[i] !== ']') i += text[i] === '\\' ? 2 : 1;
  if (text[i] !== ']' || text[i + 1] !== '(') return undefined;
  const close = text.indexOf(')', i + 2);
  if (close < 0) return undefined;
  const href = text.slice(i + 2, close);
  if (/\s/.test(href) || !(/^(https?:\/\/|#|\.{0,2}\/?[\w.-])/.test(href)) || /^[a-z][a-z0-9+.-]*:/i.test(href) && !/^https?:/i.test(href)) return undefined;
  return { label: text.slice(start + 1, i), href, end: close + 1 };
}
