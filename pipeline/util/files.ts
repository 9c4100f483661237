/** File helpers shared by every stage: atomic writes and stable serialization. */
import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Papa from 'papaparse';

/** Write a file so that a reader never sees it half-written: write a sibling temp file, then rename. */
export function writeFileAtomic(path: string, contents: string | Uint8Array | Iterable<string>): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}`;
  try {
    if (typeof contents === 'string' || contents instanceof Uint8Array) writeFileSync(temp, contents);
    else writePieces(temp, contents);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    // writeFileSync's errors (e.g. ENOSPC) carry no path; the CLI names the file from it.
    if (error instanceof Error && !(error as NodeJS.ErrnoException).path) (error as NodeJS.ErrnoException).path = path;
    throw error;
  }
}

/** A file written piece by piece (a page of megabytes need not be one string first). */
function writePieces(path: string, pieces: Iterable<string>): void {
  const fd = openSync(path, 'w');
  try {
    for (const piece of pieces) {
      const bytes = Buffer.from(piece);
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * JSON with two-space indent and a final newline; key order is the order the caller built.
 * Short arrays of numbers stay on one line ([0, 1] rather than three lines) so files read easily.
 */
export function formatJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2).replace(/\[\n\s*(-?[\d.eE+-]+(?:,\n\s*-?[\d.eE+-]+)*)\n\s*\]/g, (whole, items: string) => {
    const inline = `[${items.split(/,\n\s*/).join(', ')}]`;
    return inline.length <= 80 ? inline : whole;
  });
  return `${text}\n`;
}

/** JSON with keys sorted at every level, for outputs that must be byte-identical across runs. */
export function formatSortedJson(value: unknown): string {
  return formatJson(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

type CsvValue = string | number | boolean | null | undefined;

/**
 * A text cell a spreadsheet would run as a formula: it starts with = + - @ TAB or CR (OWASP's list).
 * Plain numbers written as text (e.g. "-0.5") are data, not formulas, and stay as they are.
 */
const FORMULA_TRIGGER = /^(?![+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$)[=+\-@\t\r]/;

/**
 * Every CSV the project writes goes through here (RFC 4180, `\n` line ends, final newline). papaparse
 * quotes a cell only when it must and, with `escapeFormulae`, prefixes a formula-like text cell with
 * `'` (and quotes it), so opening an output in a spreadsheet never runs a task name. Numbers are
 * written by formatNumber (shortest round-trip text) and never prefixed.
 */
export function formatCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const cell = (value: CsvValue): string | number | boolean => {
    if (value === null || value === undefined) return '';
    if (typeof value === 'number') {
      formatNumber(value);
      return Object.is(value, -0) ? 0 : value;
    }
    return value;
  };
  const body = Papa.unparse(
    { fields: [...header], data: rows.map((row) => row.map(cell)) },
    { newline: '\n', quotes: false, escapeFormulae: FORMULA_TRIGGER, skipEmptyLines: false },
  );
  // With no rows papaparse already ends the header line; otherwise it leaves off the final newline.
  return rows.length === 0 ? body.replace(/\n?$/, '\n') : `${body}\n`;
}

/** Shortest round-trip form of a number: deterministic and lossless. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`formatNumber requires a finite number, got ${value}`);
  return Object.is(value, -0) ? '0' : String(value);
}

/** A number rounded to `digits` significant decimals, for outputs people read. */
export function round(value: number, digits = 6): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/**
 * Write `chunks` to `path` one at a time (through a sibling temp file, then rename), so a large
 * output never has to exist as one string: V8 refuses strings above ~512 MB ("Invalid string length").
 */
export function writeChunksAtomic(path: string, chunks: Iterable<string>): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(temp, 'w');
    try {
      for (const chunk of chunks) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    if (error instanceof Error && !(error as NodeJS.ErrnoException).path) (error as NodeJS.ErrnoException).path = path;
    throw error;
  }
}

/** formatCsv for rows produced one at a time, written in batches by writeChunksAtomic (same bytes as formatCsv). */
export function writeCsvAtomic(path: string, header: readonly string[], rows: Iterable<readonly (string | number | boolean | null | undefined)[]>, batchSize = 10_000): void {
  function* chunks(): Generator<string> {
    let batch: (readonly (string | number | boolean | null | undefined)[])[] = [];
    let first = true;
    const flush = (): string => {
      const text = formatCsv(header, batch);
      batch = [];
      if (!first) return text.slice(text.indexOf('\n') + 1);
      first = false;
      return text;
    };
    for (const row of rows) {
      batch.push(row);
      if (batch.length >= batchSize) yield flush();
    }
    if (first || batch.length > 0) yield flush();
  }
  writeChunksAtomic(path, chunks());
}
