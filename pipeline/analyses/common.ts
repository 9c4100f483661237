/** Helpers the analyses share: CSV cells for statistics, row selection. */
import { round } from '../util/files.ts';

/** A number for a CSV cell: rounded, `inf`/`-inf` for infinities, empty for NaN (not computed). */
export function statCell(value: number, digits = 6): number | string | null {
  if (Number.isNaN(value)) return null;
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return round(value, digits);
}

/** A p-value for a CSV cell: significant digits rather than decimals, so 1e-12 stays 1e-12. */
export function pCell(value: number): number | null {
  if (Number.isNaN(value)) return null;
  return value === 0 ? 0 : Number(value.toPrecision(4));
}

/** Indices of rows whose value of `column` equals `value`. */
export function rowsWhere(column: readonly string[], value: string): number[] {
  const rows: number[] = [];
  for (let i = 0; i < column.length; i++) if (column[i] === value) rows.push(i);
  return rows;
}

/** Indices of rows where both columns are known (an empty cell, NaN, is "not evaluated"). */
export function knownRows(x: ArrayLike<number>, y: ArrayLike<number>): number[] {
  const rows: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!) && Number.isFinite(y[i]!)) rows.push(i);
  return rows;
}
