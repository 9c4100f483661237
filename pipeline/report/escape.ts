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
  return escapeJsonForScript(JSON.stringify(value));
}

/** The escaping of jsonForScript, for JSON text made by JSON.stringify (one pass). */
function escapeJsonForScript(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * jsonForScript of an object or array, made one entry at a time: the concatenation is exactly
 * jsonForScript(value). report.html's specs are megabytes; as one string they are held twice (the
 * JSON, then its escaped copy), where pieces are written and dropped one by one.
 */
export function* jsonPiecesForScript(value: Record<string, unknown> | readonly unknown[]): Generator<string> {
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) yield (i > 0 ? ',' : '') + escapeJsonForScript((JSON.stringify(value[i]) as string | undefined) ?? 'null');
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    const json = JSON.stringify(item) as string | undefined;
    if (json === undefined) continue; // JSON leaves such keys out
    yield `${first ? '' : ','}${escapeJsonForScript(JSON.stringify(key))}:${escapeJsonForScript(json)}`;
    first = false;
  }
  yield '}';
}
