/**
 * Reads a contributor's files and rejects what no parser should see: a symbolic link (a contributed
 * file must be the file itself, inside the registry: a link can point at a secret such as
 * /proc/self/environ or at data outside the repository), a missing or empty file, a BOM, bytes that
 * are not UTF-8.
 */
import { closeSync, lstatSync, openSync, readFileSync, readSync, type Stats } from 'node:fs';
import { count } from '../util/shown-text.ts';
import type { Problem } from './problems.ts';

export type TextResult = { ok: true; text: string } | { ok: false; problem: Problem };

/** The same words wherever a link is found, so the folder scan and the file read report it once. */
export const SYMLINK_MESSAGE = 'expected a regular file inside the registry, found a symbolic link: commit the file itself (links may point outside the repository)';

/** JSON documents are read whole; none of the project's is anywhere near this size. */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;

/** lstat without following links; undefined when nothing is there. */
export function entryAt(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** A problem when `path` is not a readable, non-empty regular file (links are not followed). */
export function checkContributedFile(path: string, shownAs: string, whatFor = ''): { ok: true; size: number } | { ok: false; problem: Problem } {
  const fail = (message: string) => ({ ok: false as const, problem: { file: shownAs, message } });
  const stat = entryAt(path);
  if (!stat) return fail(`file not found${whatFor ? `: ${whatFor}` : ''}`);
  if (stat.isSymbolicLink()) return fail(SYMLINK_MESSAGE);
  if (!stat.isFile()) return fail('expected a file, found a folder or another kind of entry');
  if (stat.size === 0) return fail('file is empty (0 bytes); expected its contents');
  return { ok: true, size: stat.size };
}

export function readContributedText(path: string, shownAs: string, whatFor = ''): TextResult {
  const fail = (problem: Omit<Problem, 'file'>): TextResult => ({ ok: false, problem: { file: shownAs, ...problem } });
  const checked = checkContributedFile(path, shownAs, whatFor);
  if (!checked.ok) return checked;
  if (checked.size > MAX_JSON_BYTES) return fail({ message: `file is ${count(checked.size)} bytes; expected at most ${count(MAX_JSON_BYTES)} (a study's JSON is a few kilobytes)` });
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return fail({ message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})` });
  }
  if (bytes.length === 0) return fail({ message: 'file is empty (0 bytes); expected its contents' });
  if (startsWithBom(bytes)) return fail(BOM_PROBLEM);
  const invalid = firstInvalidUtf8(bytes);
  if (invalid !== undefined) return fail(invalidUtf8Problem(bytes, invalid));
  const text = bytes.toString('utf8');
  if (text.trim() === '') return fail({ message: 'file is empty (only whitespace); expected its contents' });
  return { ok: true, text };
}

export const BOM_PROBLEM = { line: 1, column: 1, message: 'file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM' };

export function startsWithBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Where the invalid byte at `offset` of the whole file `bytes` is, without decoding the whole prefix. */
export function invalidUtf8Problem(bytes: Buffer, offset: number): Omit<Problem, 'file'> {
  let line = 1;
  let lineStart = 0;
  for (let nl = bytes.indexOf(10); nl !== -1 && nl < offset; nl = bytes.indexOf(10, nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  const column = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset)).length + 1;
  return { line, column, message: `file is not valid UTF-8 (byte 0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, '0')} here; perhaps Latin-1 or Windows-1252): save it as UTF-8` };
}

/** Byte offset of the first byte that does not start or continue a valid UTF-8 sequence, if any. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
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

/** Read `path` in chunks of `size` bytes (the last may be shorter); stops early when `each` returns false. */
export function readChunks(path: string, size: number, each: (chunk: Buffer) => boolean | void): void {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(size);
    for (;;) {
      const read = readSync(fd, buffer, 0, size, null);
      if (read === 0) return;
      if (each(buffer.subarray(0, read)) === false) return;
    }
  } finally {
    closeSync(fd);
  }
}
