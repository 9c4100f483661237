/**
 * An explicit order for a nominal field, carried as data. Vega-Lite compiles a sort array into an
 * expression with every value as a string literal, and Vega's expression parser fails on some
 * ordinary ids (a task called "constructor": "Operator not defined"). Contributed ids therefore reach
 * Vega only as data values: each row carries the rank of its value, and the encoding sorts by it.
 */

/** The rank field for `field` (e.g. task_rank). */
export function rankField(field: string): string {
  return `${field}_rank`;
}

/** Rank of each row's `field` value in `order` (values not listed go last). */
export function withRank<T extends Record<string, unknown>>(rows: readonly T[], field: keyof T & string, order: readonly string[]): (T & Record<string, number>)[] {
  const rank = new Map(order.map((value, i) => [value, i]));
  return rows.map((row) => ({ ...row, [rankField(field)]: rank.get(String(row[field])) ?? order.length }));
}

/** The encoding's sort: by the rank `withRank` added. */
export function sortByRank(field: string): { field: string; op: 'min' } {
  return { field: rankField(field), op: 'min' };
}
