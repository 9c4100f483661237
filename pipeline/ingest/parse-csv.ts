/**
 * RFC 4180 CSV parsing that keeps the line and column where every cell starts, so that each
 * problem in a contributed table can be reported as `file:line:column`. The parser is incremental:
 * text is fed in chunks and each complete record is handed on at once, so a file of any size is
 * checked in bounded memory (see read-csv.ts).
 */
import { count } from '../util/shown-text.ts';

export interface CsvCell {
  text: string;
  line: number;
  column: number;
}

export interface CsvTable {
  header: CsvCell[];
  rows: CsvCell[][];
}

export interface CsvError {
  line: number;
  column: number;
  message: string;
}

export type CsvResult = ({ ok: true; table: CsvTable }) | ({ ok: false } & CsvError);

/**
 * The longest record the parser holds, in characters (32 Mi). A row of an observations file holds one
 * model's values, a few hundred characters; a longer "row" is a file without line breaks or a quote
 * left open, and holding it whole would exceed what a JavaScript string can hold (about 512 Mi
 * characters) long before the file ends.
 */
export const MAX_RECORD_CHARS = 32 * 1024 * 1024;

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

type Step = { kind: 'record'; cells: CsvCell[]; next: number; nextLine: number } | { kind: 'more' } | { kind: 'error'; error: CsvError };
const MORE: Step = { kind: 'more' };

/**
 * Feed text with `feed(chunk)` and call `end()` once; `onRecord` receives every record with at
 * least one non-empty cell (blank lines carry no data and are skipped). Stops at the first syntax
 * error, which `feed`/`end` return.
 */
export class CsvRecordParser {
  private text = '';
  private line = 1;
  private failed: CsvError | undefined;

  constructor(private readonly onRecord: (cells: CsvCell[]) => void) {}

  /** False when the last feed completed no record (the caller may read more before feeding again). */
  completedRecord = true;

  /** Characters held back: the start of a record that is not complete yet. */
  get buffered(): number {
    return this.text.length;
  }

  feed(chunk: string): CsvError | undefined {
    if (this.failed) return this.failed;
    this.text = this.text.length === 0 ? chunk : this.text + chunk;
    return this.run(false);
  }

  end(): CsvError | undefined {
    if (this.failed) return this.failed;
    return this.run(true);
  }

  private run(final: boolean): CsvError | undefined {
    const text = this.text;
    let start = 0;
    this.completedRecord = false;
    while (start < text.length) {
      const step = parseRecord(text, start, this.line, final);
      if (step.kind === 'more') break;
      if (step.kind === 'error') {
        this.failed = step.error;
        this.text = '';
        return step.error;
      }
      this.completedRecord = true;
      this.line = step.nextLine;
      start = step.next;
      if (!(step.cells.length === 1 && step.cells[0]!.text === '')) this.onRecord(step.cells);
    }
    this.text = start === 0 ? text : text.slice(start);
    if (this.text.length > MAX_RECORD_CHARS) {
      this.failed = {
        line: this.line,
        column: 1,
        message: `the row starting here is longer than ${count(MAX_RECORD_CHARS)} characters; a row holds one model's values, so a line break is missing or a quote was left open`,
      };
      this.text = '';
      return this.failed;
    }
    return undefined;
  }
}

/**
 * One record starting at `start` (line `line`, column 1). 'more' when the text ends before the
 * record does and more text may follow.
 */
function parseRecord(text: string, start: number, line: number, final: boolean): Step {
  const n = text.length;
  const cells: CsvCell[] = [];
  let i = start;
  let currentLine = line;
  let lineStart = start;
  for (;;) {
    const cellLine = currentLine;
    const cellColumn = i - lineStart + 1;
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      const parts: string[] = [];
      let j = i + 1;
      for (;;) {
        const quote = text.indexOf('"', j);
        const segmentEnd = quote === -1 ? n : quote;
        for (let nl = text.indexOf('\n', j); nl !== -1 && nl < segmentEnd; nl = text.indexOf('\n', nl + 1)) {
          currentLine++;
          lineStart = nl + 1;
        }
        if (quote === -1) {
          if (!final) return MORE;
          return { kind: 'error', error: { line: cellLine, column: cellColumn, message: `unterminated quoted cell: expected a closing '"' for the quote here, found end of file` } };
        }
        parts.push(text.slice(j, quote));
        if (quote + 1 >= n && !final) return MORE;
        if (text.charCodeAt(quote + 1) === QUOTE) {
          parts.push('"');
          j = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      value = parts.length === 1 ? parts[0]! : parts.join('');
      const after = text.charCodeAt(i);
      if (i < n && after !== COMMA && after !== LF && after !== CR) {
        return { kind: 'error', error: { line: currentLine, column: i - lineStart + 1, message: `expected ',' or the end of the line after a closing quote, found ${JSON.stringify(String.fromCodePoint(text.codePointAt(i)!))} (write a quote inside a quoted cell as "")` } };
      }
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === COMMA || c === LF || c === CR) break;
        j++;
      }
      if (j >= n && !final) return MORE;
      value = text.slice(i, j);
      i = j;
    }
    cells.push({ text: value, line: cellLine, column: cellColumn });
    if (i < n && text.charCodeAt(i) === COMMA) {
      i++;
      if (i >= n) {
        if (!final) return MORE;
        cells.push({ text: '', line: currentLine, column: i - lineStart + 1 });
        return { kind: 'record', cells, next: n, nextLine: currentLine + 1 };
      }
      continue;
    }
    if (i >= n) return final ? { kind: 'record', cells, next: n, nextLine: currentLine + 1 } : MORE;
    if (text.charCodeAt(i) === CR) {
      i++;
      if (i >= n && !final) return MORE;
    }
    if (i < n && text.charCodeAt(i) === LF) i++;
    return { kind: 'record', cells, next: i, nextLine: currentLine + 1 };
  }
}

/** Parse a whole CSV text held in memory (small files and tests; ingest streams with read-csv.ts). */
export function parseCsvWithPositions(text: string): CsvResult {
  const records: CsvCell[][] = [];
  const parser = new CsvRecordParser((cells) => records.push(cells));
  const error = parser.feed(text) ?? parser.end();
  if (error) return { ok: false, ...error };
  const [header, ...rows] = records;
  if (!header) return { ok: false, line: 1, column: 1, message: 'expected a header row, found only blank lines' };
  return { ok: true, table: { header, rows } };
}
