/** Reads a contributor's text file and rejects what no parser should see: missing, empty, BOM, not UTF-8. */
import { existsSync, readFileSync } from 'node:fs';
import type { Problem } from './problems.ts';

export type TextResult = { ok: true; text: string } | { ok: false; problem: Problem };

export function readContributedText(path: string, shownAs: string): TextResult {
  if (!existsSync(path)) return { ok: false, problem: { file: shownAs, message: 'file not found' } };
  const bytes = readFileSync(path);
  if (bytes.length === 0) return { ok: false, problem: { file: shownAs, message: 'file is empty' } };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { ok: false, problem: { file: shownAs, line: 1, column: 1, message: 'file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM' } };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, problem: { file: shownAs, message: 'file is not valid UTF-8' } };
  }
  if (text.trim() === '') return { ok: false, problem: { file: shownAs, message: 'file is empty (only whitespace)' } };
  return { ok: true, text };
}
