/**
 * Escaping for contributed text (study titles, authors, task and model names): whatever a study
 * contains is shown as text, never interpreted as HTML or Markdown.
 */

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content or a quoted attribute value. */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/**
 * Text for a Markdown paragraph, list item, table cell, link text or image alt text: every character
 * that Markdown (CommonMark, GFM, GitHub's math) could read as syntax is backslash-escaped, `<` and
 * `&` included, so raw HTML and entities render literally; a leading list, heading or ordered-list
 * marker ("- ", "# ", "1. ") is escaped too, and line breaks become spaces. An underscore between two
 * letters or digits (snake_case ids) cannot start emphasis and is left as it is. Other punctuation such as
 * `-`, `.` and `(` is left alone so the Markdown source stays readable.
 */
export function escapeMarkdown(text: string | number): string {
  return String(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]<>&|~$]/g, (c, at: number, all: string) => (c === '_' && /[\p{L}\p{N}]/u.test(all[at - 1] ?? '') && /[\p{L}\p{N}]/u.test(all[at + 1] ?? '') ? c : `\\${c}`))
    .replace(/^(\s*)(\d{1,9})([.)])(?=\s|$)/, '$1$2\\$3')
    .replace(/^(\s*)([-+#])(?=\s|$)/, '$1\\$2');
}

/** Text for an inline code span: backticks in it are replaced so the span cannot be closed early. */
export function markdownCode(text: string): string {
  return `\`${String(text).replace(/[\r\n]+/g, ' ').replace(/`/g, 'ʼ')}\``;
}

/**
 * JSON for embedding in an HTML `<script>` element: `<`, `>`, `&` and the line separators are
 * written as \u escapes, so no value can close the element or start a comment.
 */
export function jsonForScript(value: unknown): string {
  // One pass: report.html's specs are megabytes of JSON.
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
