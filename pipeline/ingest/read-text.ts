/** Reads a contributor's text file and rejects what no parser should see: missing, empty, BOM, not UTF-8. */
import { readFileSync, statSync } from 'node:fs';
import type { Problem } from './problems.ts';

export type TextResult = { ok: true; text: string } | { ok: false; problem: Problem };

export function readContributedText(path: string, shownAs: string, whatFor = ''): TextResult {
  const fail = (problem: Omit<Problem, 'file'>): TextResult => ({ ok: false, problem: { file: shownAs, ...problem } });
  let bytes: Buffer;
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return fail({ message: `file not found${whatFor ? `: ${whatFor}` : ''}` });
    if (!stat.isFile()) return fail({ message: 'expected a file, found a folder or another kind of entry' });
    bytes = readFileSync(path);
  } catch (error) {
    return fail({ message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})` });
  }
  if (bytes.length === 0) return fail({ message: 'file is empty (0 bytes); expected its contents' });
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return fail({ line: 1, column: 1, message: 'file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM' });
  }
  const invalid = firstInvalidUtf8(bytes);
  if (invalid !== undefined) {
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, invalid));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return fail({ line, column, message: `file is not valid UTF-8 (byte 0x${bytes[invalid]!.toString(16).toUpperCase().padStart(2, '0')} here; perhaps Latin-1 or Windows-1252): save it as UTF-8` });
  }
  const text = bytes.toString('utf8');
  if (text.trim() === '') return fail({ message: 'file is empty (only whitespace); expected its contents' });
  return { ok: true, text };
}

/** Byte offset of the first byte that does not start or continue a valid UTF-8 sequence, if any. */
function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [length, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [length, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [length, min] = [4, 0x10000];
    else return i;
    let code = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += length;
  }
  return undefined;
}
