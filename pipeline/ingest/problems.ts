/** A problem found in a contributor's file, located precisely enough to fix without guessing. */
export interface Problem {
  file: string;
  /** CSV and text problems: 1-based line and column. */
  line?: number;
  column?: number;
  /** JSON problems: the JSON pointer of the offending value ('' for the whole document). */
  pointer?: string;
  message: string;
}

/** `path:line:column: message` for text positions, `path: /pointer: message` for JSON values. */
export function formatProblem(problem: Problem): string {
  if (problem.line !== undefined) return `${problem.file}:${problem.line}:${problem.column ?? 1}: ${problem.message}`;
  if (problem.pointer !== undefined) return `${problem.file}: ${problem.pointer || '/'}: ${problem.message}`;
  return `${problem.file}: ${problem.message}`;
}

/** Plain code-unit order: unlike localeCompare it does not depend on the machine's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Order problems by file, then position (file-level problems first), so reports are stable. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compareText(a.pointer ?? '', b.pointer ?? '') ||
      compareText(a.message, b.message),
  );
}

/**
 * Sort, drop exact duplicates and keep at most `perFile` problems of each file (so one systematically
 * broken column does not bury everything else); a last line per file says how many were left out.
 */
export function sortAndCapProblems(problems: Problem[], perFile: number): Problem[] {
  const kept: Problem[] = [];
  const sorted = sortProblems(problems);
  let previous = '';
  for (let start = 0; start < sorted.length; ) {
    const file = sorted[start]!.file;
    let end = start;
    while (end < sorted.length && sorted[end]!.file === file) end++;
    let count = 0;
    for (const problem of sorted.slice(start, end)) {
      const key = formatProblem(problem);
      if (key === previous) continue;
      previous = key;
      count++;
      if (count <= perFile) kept.push(problem);
    }
    if (count > perFile) kept.push({ file, message: `... and ${count - perFile} more problems in this file (fix the ones above and run again)` });
    start = end;
  }
  return kept;
}
