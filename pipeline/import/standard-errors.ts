/**
 * Item counts recovered from a release's standard errors. lm-evaluation-harness and lighteval report
 * the standard error of a mean of n 0/1 scores with the sample variance: se = √(p(1−p)/(n−1)), so
 * n = p(1−p)/se² + 1. A task's count is kept only when every usable cell of the task gives the
 * same whole number; otherwise (e.g. a mean over subjects with an averaged error) it is unknown.
 */

/** Largest distance from a whole number still read as that number (rounding in the release). */
const WHOLE_TOLERANCE = 0.05;

/** n from one score p ∈ (0, 1) and its standard error; undefined where the cell says nothing. */
export function itemsFromStandardError(p: number, se: number): number | undefined {
  if (!(p > 0 && p < 1 && se > 0) || !Number.isFinite(se)) return undefined;
  const n = (p * (1 - p)) / (se * se) + 1;
  return Math.abs(n - Math.round(n)) <= WHOLE_TOLERANCE ? Math.round(n) : undefined;
}

/**
 * The one item count all cells agree on, or undefined when no cell gives one or two cells disagree.
 * Cells with p ∈ {0, 1} or no standard error say nothing and are skipped.
 */
export function itemsFromStandardErrors(cells: Iterable<readonly [p: number, se: number]>): number | undefined {
  let agreed: number | undefined;
  for (const [p, se] of cells) {
    if (!(p > 0 && p < 1 && se > 0)) continue;
    const n = itemsFromStandardError(p, se);
    if (n === undefined) return undefined;
    if (agreed !== undefined && n !== agreed) return undefined;
    agreed = n;
  }
  return agreed;
}
