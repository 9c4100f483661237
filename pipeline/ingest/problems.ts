import { clip, count, MAX_SHOWN_CHARS } from '../util/shown-text.ts';

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
  if (problem.pointer !== undefined) return `${problem.file}: ${clip(problem.pointer, 2 * MAX_SHOWN_CHARS) || '/'}: ${problem.message}`;
  return `${problem.file}: ${problem.message}`;
}

/** Plain code-unit order: unlike localeCompare it does not depend on the machine's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareProblems(a: Problem, b: Problem): number {
  return (
    compareText(a.file, b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    compareText(a.pointer ?? '', b.pointer ?? '') ||
    compareText(a.message, b.message)
  );
}

/** Order problems by file, then position (file-level problems first), so reports are stable. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(compareProblems);
}

/**
 * Where ingest puts problems. It keeps, per file, only the first `perFile` problems in sorted order
 * (so one systematically broken column neither buries everything else nor fills memory: a file with
 * millions of bad cells costs `perFile` problems), drops exact duplicates, and counts the rest.
 */
export class ProblemCollector {
  private readonly files = new Map<string, { kept: Problem[]; keys: Set<string>; omitted: number }>();
  private total = 0;

  constructor(private readonly perFile: number) {}

  /** Problems found so far, including those not kept. */
  get length(): number {
    return this.total;
  }

  push(...problems: Problem[]): number {
    return this.addAll(problems);
  }

  /** Add any number of problems (never spread a long list into push: that overflows the stack). */
  addAll(problems: Iterable<Problem>): number {
    for (const problem of problems) this.add(problem);
    return this.total;
  }

  add(problem: Problem): void {
    let entry = this.files.get(problem.file);
    if (!entry) this.files.set(problem.file, (entry = { kept: [], keys: new Set(), omitted: 0 }));
    const key = formatProblem(problem);
    if (entry.keys.has(key)) return;
    this.total++;
    const kept = entry.kept;
    if (kept.length >= this.perFile && compareProblems(problem, kept[kept.length - 1]!) >= 0) {
      entry.omitted++;
      return;
    }
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (compareProblems(kept[mid]!, problem) <= 0) low = mid + 1;
      else high = mid;
    }
    kept.splice(low, 0, problem);
    entry.keys.add(key);
    if (kept.length > this.perFile) {
      entry.keys.delete(formatProblem(kept.pop()!));
      entry.omitted++;
    }
  }

  /**
   * The kept problems in order, each file's followed by a line saying how many were left out; at
   * most `overall` lines of problems in all, then one line saying how many more there are.
   */
  list(overall: number, summaryFile: string): Problem[] {
    const out: Problem[] = [];
    let shown = 0;
    for (const file of [...this.files.keys()].sort(compareText)) {
      const { kept, omitted } = this.files.get(file)!;
      for (const problem of kept) {
        if (shown < overall) out.push(problem);
        shown++;
      }
      if (omitted > 0 && shown <= overall) out.push({ file, message: `... and ${count(omitted)} more problems in this file (fix the ones above and run again)` });
    }
    if (shown > overall) {
      out.push({ file: summaryFile, message: `... and ${count(this.total - overall)} more problems not listed (at most ${count(overall)} are shown; fix the ones above and run again)` });
    }
    return out;
  }
}

/**
 * Sort, drop exact duplicates and keep at most `perFile` problems of each file (so one systematically
 * broken column does not bury everything else); a last line per file says how many were left out.
 */
export function sortAndCapProblems(problems: Problem[], perFile: number): Problem[] {
  const collector = new ProblemCollector(perFile);
  for (const problem of problems) collector.add(problem);
  return collector.list(Number.POSITIVE_INFINITY, '');
}
