/**
 * Test and benchmark helper: the reference curves of test/fixtures/reference-optima.json, with x and y
 * read afresh from the committed study records (never from the reference file itself).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { ROOT } from '../../pipeline/util/paths.ts';

/** The repository (also when this runs compiled from .build/, as `make bench` does). */
export const REPOSITORY_ROOT = ROOT;
export const REFERENCE_OPTIMA_FILE = join(REPOSITORY_ROOT, 'test', 'fixtures', 'reference-optima.json');

/** One curve's entry in the reference file: where to find it and SciPy's best optimum. */
export interface ReferenceOptimum {
  study: string;
  task: string;
  /** The x column, e.g. `loss:c4_val`. */
  x: string;
  /** `all` rows, or only those with final == true. */
  rows: 'all' | 'final';
  n: number;
  epsilon: number;
  logK: number;
  gamma: number;
  sse: number;
}

export interface ReferenceCurve extends ReferenceOptimum {
  id: string;
  xs: Float64Array;
  ys: Float64Array;
}

export interface ReferenceFile {
  generator: { scipy: string; numpy: string; seeds: number[]; settings: Record<string, unknown>; command: string };
  curves: ReferenceOptimum[];
}

export function readReferenceFile(): ReferenceFile {
  return JSON.parse(readFileSync(REFERENCE_OPTIMA_FILE, 'utf8')) as ReferenceFile;
}

const tables = new Map<string, Record<string, string>[]>();

/** The rows of studies/<study>/observations.csv, as strings keyed by column. */
export function observationRows(study: string): Record<string, string>[] {
  let rows = tables.get(study);
  if (!rows) {
    const text = readFileSync(join(REPOSITORY_ROOT, 'studies', study, 'observations.csv'), 'utf8');
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    if (parsed.errors.length > 0) throw new Error(`${study}/observations.csv: ${parsed.errors[0]!.message}`);
    rows = parsed.data;
    tables.set(study, rows);
  }
  return rows;
}

/** x = the loss column, y = 1 − accuracy of the task, over all rows or the final ones. */
export function readCurve(study: string, xColumn: string, task: string, which: 'all' | 'final'): { xs: Float64Array; ys: Float64Array } {
  const rows = observationRows(study).filter((row) => which === 'all' || row.final === 'true');
  const xs = Float64Array.from(rows, (row) => Number(row[xColumn]));
  const ys = Float64Array.from(rows, (row) => 1 - Number(row[task]));
  return { xs, ys };
}

/** Every curve of the reference file with its data from the CSV. */
export function loadReferenceCurves(): ReferenceCurve[] {
  return readReferenceFile().curves.map((optimum) => {
    const { xs, ys } = readCurve(optimum.study, optimum.x, optimum.task, optimum.rows);
    return { ...optimum, id: `${optimum.study} ${optimum.x} ${optimum.rows} ${optimum.task}`, xs, ys };
  });
}

/** The task columns of a study's observations. */
export function taskColumns(study: string): string[] {
  const first = observationRows(study)[0];
  return first ? Object.keys(first).filter((column) => column.startsWith('task:')) : [];
}
