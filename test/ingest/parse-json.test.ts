/** The JSON reader: located syntax errors, and the structural problems JSON.parse lets through. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseContributedJson } from '../../pipeline/ingest/parse-json.ts';
import { formatProblem } from '../../pipeline/ingest/problems.ts';
import { STUDIES_DIR } from '../../pipeline/util/paths.ts';
import { GOOD_REGISTRY } from '../helpers/registry.ts';

const parse = (text: string): string[] => {
  const result = parseContributedJson(text, 'f.json');
  return result.ok ? result.problems.map(formatProblem) : [formatProblem(result.problem)];
};

describe('parseContributedJson', () => {
  it.each([
    ['{"a":}', "f.json:1:6: malformed JSON: expected a value (object, array, string, number, true, false or null), found '}'"],
    ['{"a": 1', "f.json:1:8: malformed JSON: expected ',' or '}' after the value of \"a\", found end of file (the '{' on line 1 is never closed)"],
    ['{\n  "a": 1\n  "b": 2\n}', "f.json:3:3: malformed JSON: expected ',' or '}' after the value of \"a\", found '\"' (a comma is probably missing"],
    ['{"a": 1,}', "f.json:1:9: malformed JSON: expected a property name in double quotes, found '}' (JSON does not allow a comma after the last property)"],
    ["{'a': 1}", "f.json:1:2: malformed JSON: expected a property name in double quotes, found ''' (JSON strings need double quotes)"],
    ['{"a": 1} // note', "f.json:1:10: malformed JSON: expected end of file after the JSON document, found '/'"],
    ['{"a": "x\ny"}', 'f.json:1:9: malformed JSON: control character (a line break) inside a string'],
    ['{"a": "\\x"}', 'f.json:1:8: malformed JSON: invalid escape: expected one of'],
    ['{"a": 01}', 'f.json:1:7: malformed JSON: invalid number 01'],
    ['{"a": +1}', "f.json:1:7: malformed JSON: expected a value (object, array, string, number, true, false or null), found '+'"],
    ['{"a": True}', 'f.json:1:7: malformed JSON: expected a value (object, array, string, number, true, false or null), found True (JSON literals are lower-case'],
    ['{"a": "open', "f.json:1:7: malformed JSON: unterminated string: the '\"' here is never closed"],
    ['[1, 2,]', "f.json:1:7: malformed JSON: expected a value, found ']' (JSON does not allow a comma after the last element)"],
    ['{"a": 1, "a": 2}', 'f.json: /a: duplicate property "a" (lines 1 and 1)'],
    ['{"x": {"__proto__": 1}}', 'f.json: /x/__proto__: property "__proto__" is not allowed'],
    ['{"a/b": {"c~d": 1, "c~d": 2}}', 'f.json: /a~1b/c~0d: duplicate property "c~d"'],
  ])('%j → %s', (text, expected) => {
    const lines = parse(text);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(expected);
  });

  it('keeps __proto__ as an own property, as JSON.parse does', () => {
    const result = parseContributedJson('{"__proto__": {"polluted": true}}', 'f.json');
    expect(result.ok && Object.prototype.hasOwnProperty.call(result.value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads the committed JSON files exactly as JSON.parse does, with no problems', () => {
    for (const file of ['vocabulary.json', 'gadre2024/study.json', 'lourie2025/claims.json', 'bhagia2024/study.json']) {
      const text = readFileSync(join(STUDIES_DIR, file), 'utf8');
      const result = parseContributedJson(text, file);
      expect(result).toEqual({ ok: true, value: JSON.parse(text), problems: [] });
    }
  });

  it('accepts exactly what JSON.parse accepts, over many one-character corruptions', () => {
    const text = readFileSync(join(GOOD_REGISTRY, 'synthetic-claims', 'claims.json'), 'utf8');
    expect(() => JSON.parse(text)).not.toThrow();
    const replacements = ['', ',', '}', ']', '"', ':', '0', '-', '.', 'e', '\\', ' ', '\n', 'x', '{', '['];
    let checked = 0;
    let valid = 0;
    for (let i = 0; i < text.length; i++) {
      for (const replacement of replacements) {
        const corrupted = text.slice(0, i) + replacement + text.slice(i + 1);
        let parses = true;
        try {
          JSON.parse(corrupted);
        } catch {
          parses = false;
        }
        expect(parseContributedJson(corrupted, 'f.json').ok, JSON.stringify(corrupted.slice(Math.max(0, i - 20), i + 20))).toBe(parses);
        checked++;
        if (parses) valid++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
    expect(valid).toBeGreaterThan(500);
  });
});
