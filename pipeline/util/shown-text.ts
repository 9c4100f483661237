/** Contributed text shown in a message: cut, quoted, counted (never echoed whole). */

/**
 * At most this many characters of any contributed text (a cell, a header name, a property name)
 * appear in a message: a file may be anything, e.g. a key or /proc/self/environ, and its content must
 * not end up in a CI log.
 */
export const MAX_SHOWN_CHARS = 80;

/** Whole numbers with thousands separators, independent of the machine's locale. */
export function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `text` cut to MAX_SHOWN_CHARS (never inside a surrogate pair), with how much was cut. */
export function clip(text: string, max = MAX_SHOWN_CHARS): string {
  if (text.length <= max) return text;
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}… (${count(text.length - end)} more characters)`;
}

/** Contributed text in double quotes with control characters escaped, cut like `clip`. */
export function quote(text: string, max = MAX_SHOWN_CHARS): string {
  if (text.length <= max) return JSON.stringify(text);
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return `${JSON.stringify(text.slice(0, end))}… (${count(text.length - end)} more characters)`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
