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

/** Order problems by file, then position, so reports are stable. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      (a.pointer ?? '').localeCompare(b.pointer ?? '') ||
      a.message.localeCompare(b.message),
  );
}
