/** JSON parsing that reports malformed input as a located problem instead of a stack trace. */
import type { Problem } from './problems.ts';

export type JsonResult = { ok: true; value: unknown } | { ok: false; problem: Problem };

export function parseContributedJson(text: string, shownAs: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(detail);
    const { line, column } = position ? lineAndColumn(text, Number(position[1])) : { line: 1, column: 1 };
    const reason = detail.replace(/ in JSON at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    return { ok: false, problem: { file: shownAs, line, column, message: `malformed JSON: ${reason}` } };
  }
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
