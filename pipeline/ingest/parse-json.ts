/**
 * JSON parsing for contributed files. A small strict scanner runs before JSON.parse so that every
 * syntax error is reported at its line and column with what was expected and what was found (V8's
 * own messages often carry no position), and so that what JSON.parse silently accepts but a
 * contributor almost never means is reported too: duplicate property names (the last one wins) and
 * the name `__proto__` (an own property after JSON.parse, the prototype in most other code).
 */
import { pointerToken } from '../util/json-pointer.ts';
import { clip, quote } from '../util/shown-text.ts';
import type { Problem } from './problems.ts';

export type JsonResult =
  /** `problems`: structural problems that do not stop schema validation (duplicate or reserved property names). */
  | { ok: true; value: unknown; problems: Problem[] }
  | { ok: false; problem: Problem };

/** Deeper nesting than this is certainly a mistake (no schema of the project goes beyond 6 levels). */
const MAX_DEPTH = 64;

export function parseContributedJson(text: string, shownAs: string): JsonResult {
  const scanned = scanJson(text);
  if (scanned.error) {
    const { line, column } = lineAndColumn(text, scanned.error.offset);
    return { ok: false, problem: { file: shownAs, line, column, message: `malformed JSON: ${scanned.error.message}` } };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The scanner accepts exactly JSON, so this is not expected; report it rather than crash.
    const detail = clip(error instanceof Error ? error.message : String(error), 200);
    return { ok: false, problem: { file: shownAs, line: 1, column: 1, message: `malformed JSON: ${detail}` } };
  }
  const problems: Problem[] = scanned.notes.map((note) => ({ file: shownAs, pointer: note.pointer, message: note.message }));
  return { ok: true, value, problems };
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
  return { line, column: Math.min(offset, text.length) - lineStart + 1 };
}

interface ScanResult {
  error?: { offset: number; message: string };
  notes: { pointer: string; message: string }[];
}

class SyntaxProblem {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

function scanJson(text: string): ScanResult {
  const notes: ScanResult['notes'] = [];
  let i = 0;
  const n = text.length;

  const lineOf = (offset: number): number => lineAndColumn(text, offset).line;
  const skipWhitespace = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  /** What is at `offset`, in words: `'}'`, `a line break`, `end of file`, or a bare word like `NaN`. */
  const found = (offset: number): string => {
    if (offset >= n) return 'end of file';
    const word = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(offset, offset + 40));
    if (word) return word[0];
    const ch = text[offset]!;
    if (ch === '\n' || ch === '\r') return 'a line break';
    if (ch === '\t') return 'a tab';
    return `'${ch}'`;
  };
  const fail = (offset: number, expected: string, hint = ''): never => {
    throw new SyntaxProblem(offset, `expected ${expected}, found ${found(offset)}${hint}`);
  };
  const valueHint = (offset: number): string => {
    const ch = text[offset];
    if (ch === "'") return ' (JSON strings need double quotes)';
    if (ch === '/') return ' (JSON does not allow comments)';
    const word = found(offset);
    if (/^(NaN|Infinity|undefined)$/.test(word)) return ' (JSON has no NaN, Infinity or undefined: write a finite number, or leave the value out)';
    if (/^(True|False|None|TRUE|FALSE|Null|NULL)$/.test(word)) return ' (JSON literals are lower-case: true, false, null)';
    return '';
  };

  const scanString = (): string => {
    const start = i;
    i++; // opening quote
    let value = '';
    for (;;) {
      if (i >= n) throw new SyntaxProblem(start, `unterminated string: the '"' here is never closed`);
      const ch = text[i]!;
      const code = ch.charCodeAt(0);
      if (ch === '"') {
        i++;
        return value;
      }
      if (code < 0x20) {
        throw new SyntaxProblem(i, `control character (${code === 10 ? 'a line break' : code === 9 ? 'a tab' : `U+${code.toString(16).padStart(4, '0').toUpperCase()}`}) inside a string: write it as an escape such as \\n or \\t, or close the string with '"'`);
      }
      if (ch === '\\') {
        const next = text[i + 1];
        if (next !== undefined && '"\\/bfnrt'.includes(next)) {
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next === 'b' ? '\b' : next === 'f' ? '\f' : next;
          i += 2;
          continue;
        }
        if (next === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new SyntaxProblem(i, `invalid escape: expected \\u followed by 4 hex digits, found \\u${hex.replace(/[^0-9a-zA-Z]/g, '')}`);
          value += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        throw new SyntaxProblem(i, `invalid escape: expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX, found \\${next ?? ''}`);
      }
      value += ch;
      i++;
    }
  };

  const scanNumber = (): void => {
    const start = i;
    const token = /^[-+0-9.eE]+/.exec(text.slice(i, i + 400))![0];
    if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(token)) {
      throw new SyntaxProblem(start, `invalid number ${clip(token)}: JSON numbers have no leading '+' or leading zeros and need digits on both sides of '.'`);
    }
    i += token.length;
  };

  const scanValue = (pointer: string, depth: number): void => {
    if (depth > MAX_DEPTH) throw new SyntaxProblem(i, `nested more than ${MAX_DEPTH} levels deep`);
    skipWhitespace();
    const ch = text[i];
    if (ch === '{') return scanObject(pointer, depth);
    if (ch === '[') return scanArray(pointer, depth);
    if (ch === '"') return void scanString();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return scanNumber();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i) && !/[A-Za-z0-9_$]/.test(text[i + literal.length] ?? '')) {
        i += literal.length;
        return;
      }
    }
    fail(i, 'a value (object, array, string, number, true, false or null)', valueHint(i));
  };

  const scanObject = (pointer: string, depth: number): void => {
    const open = i;
    i++;
    skipWhitespace();
    if (text[i] === '}') {
      i++;
      return;
    }
    const seen = new Map<string, number>();
    let afterComma = false;
    for (;;) {
      skipWhitespace();
      if (text[i] !== '"') {
        if (i >= n) throw new SyntaxProblem(i, `expected a property name in double quotes, found end of file (the '{' on line ${lineOf(open)} is never closed)`);
        fail(i, 'a property name in double quotes', afterComma && text[i] === '}' ? ' (JSON does not allow a comma after the last property)' : valueHint(i));
      }
      const keyOffset = i;
      const key = scanString();
      const childPointer = `${pointer}/${pointerToken(key)}`;
      const first = seen.get(key);
      if (first !== undefined) {
        notes.push({ pointer: childPointer, message: `duplicate property ${quote(key)} (lines ${lineOf(first)} and ${lineOf(keyOffset)}): JSON keeps only the last value, so remove one of them` });
      } else seen.set(key, keyOffset);
      if (key === '__proto__') {
        notes.push({ pointer: childPointer, message: 'property "__proto__" is not allowed: it is a reserved name in JavaScript (the schema has no such property); remove it' });
      }
      skipWhitespace();
      if (text[i] !== ':') fail(i, `':' after the property name ${quote(key)}`);
      i++;
      scanValue(childPointer, depth + 1);
      skipWhitespace();
      if (text[i] === ',') {
        i++;
        afterComma = true;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      if (i >= n) throw new SyntaxProblem(i, `expected ',' or '}' after the value of ${quote(key)}, found end of file (the '{' on line ${lineOf(open)} is never closed)`);
      fail(i, `',' or '}' after the value of ${quote(key)}`, text[i] === '"' ? ' (a comma is probably missing at the end of the previous line)' : '');
    }
  };

  const scanArray = (pointer: string, depth: number): void => {
    const open = i;
    i++;
    skipWhitespace();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (let index = 0; ; index++) {
      skipWhitespace();
      if (text[i] === ']' && index > 0) throw new SyntaxProblem(i, `expected a value, found ']' (JSON does not allow a comma after the last element)`);
      scanValue(`${pointer}/${index}`, depth + 1);
      skipWhitespace();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      if (i >= n) throw new SyntaxProblem(i, `expected ',' or ']' after an array element, found end of file (the '[' on line ${lineOf(open)} is never closed)`);
      fail(i, `',' or ']' after an array element`);
    }
  };

  try {
    scanValue('', 0);
    skipWhitespace();
    if (i < n) fail(i, 'end of file after the JSON document', ' (only one top-level value is allowed)');
    return { notes };
  } catch (error) {
    if (error instanceof SyntaxProblem) return { error: { offset: error.offset, message: error.message }, notes };
    throw error;
  }
}
