/**
 * Streams a contributed CSV file through the incremental parser: the file is read in chunks, checked
 * to be UTF-8 as it is decoded, and every record is handed on as soon as it is complete, so memory
 * does not grow with the file (a registry of hundreds of megabytes validates in bounded memory).
 */
import { readFileSync } from 'node:fs';
import { CsvRecordParser, type CsvCell, type CsvError } from './parse-csv.ts';
import type { Problem } from './problems.ts';
import { BOM_PROBLEM, checkContributedFile, firstInvalidUtf8, invalidUtf8Problem, readChunks, startsWithBom } from './read-text.ts';

const CHUNK_BYTES = 4 * 1024 * 1024;

export interface CsvHandlers {
  header: (cells: CsvCell[]) => void;
  row: (cells: CsvCell[]) => void;
}

export function readContributedCsv(path: string, shownAs: string, whatFor: string, handlers: CsvHandlers): { ok: true } | { ok: false; problem: Problem } {
  const fail = (problem: Omit<Problem, 'file'>) => ({ ok: false as const, problem: { file: shownAs, ...problem } });
  const checked = checkContributedFile(path, shownAs, whatFor);
  if (!checked.ok) return checked;

  let bom = false;
  let content = false;
  try {
    readChunks(path, 64 * 1024, (chunk) => {
      if (!content) bom = startsWithBom(chunk);
      content = chunk.some((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0b && b !== 0x0c);
      return !content;
    });
  } catch (error) {
    return fail({ message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})` });
  }
  if (bom) return fail(BOM_PROBLEM);
  if (!content) return fail({ message: 'file is empty (only whitespace); expected its contents' });

  let sawHeader = false;
  const parser = new CsvRecordParser((cells) => {
    if (sawHeader) handlers.row(cells);
    else {
      sawHeader = true;
      handlers.header(cells);
    }
  });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let syntax: CsvError | undefined;
  let notUtf8 = false;
  // A record longer than a chunk is fed in geometrically growing pieces, so it is not re-scanned per chunk.
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    syntax = parser.feed(pending.length === 1 ? pending[0]! : pending.join(''));
    pending = [];
    pendingLength = 0;
  };
  try {
    readChunks(path, CHUNK_BYTES, (chunk) => {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        notUtf8 = true;
        return false;
      }
      pending.push(text);
      pendingLength += text.length;
      if (parser.completedRecord || pendingLength >= parser.buffered) flush();
      return syntax === undefined;
    });
    if (!notUtf8 && syntax === undefined) {
      try {
        const rest = decoder.decode();
        if (rest) pending.push(rest);
      } catch {
        notUtf8 = true;
      }
    }
  } catch (error) {
    return fail({ message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})` });
  }
  if (notUtf8) {
    // Only now is the whole file read at once, to say where the bad byte is.
    const bytes = readFileSync(path);
    const offset = firstInvalidUtf8(bytes) ?? bytes.length - 1;
    return fail(invalidUtf8Problem(bytes, offset));
  }
  if (syntax === undefined) flush();
  syntax ??= parser.end();
  if (syntax) return fail(syntax);
  if (!sawHeader) return fail({ line: 1, column: 1, message: 'expected a header row, found only blank lines' });
  return { ok: true };
}
