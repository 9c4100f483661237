/** Reads the files earlier stages wrote to outputs/ (JSON, and CSV through papaparse). */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import Papa from 'papaparse';
import type { OutputsReader } from './section.ts';

export function createOutputsReader(dir: string): OutputsReader {
  const path = (name: string): string => {
    const relative = normalize(name);
    if (isAbsolute(relative) || relative === '..' || relative.startsWith(`..${sep}`)) throw new Error(`outputs reader: ${name} is outside outputs/`);
    return join(dir, relative);
  };
  const text = (name: string): string => {
    try {
      return readFileSync(path(name), 'utf8');
    } catch (error) {
      throw new Error(`cannot read ${path(name)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  // Several sections read the same files (points.csv, the largest, among them): each is parsed once
  // per reader and handed out frozen, so no section can change what another reads.
  const parsed = new Map<string, unknown>();
  const once = <T>(key: string, parse: () => T): T => {
    if (!parsed.has(key)) parsed.set(key, deepFreeze(parse()));
    return parsed.get(key) as T;
  };
  return {
    dir,
    exists(name) {
      const file = path(name);
      return existsSync(file) && statSync(file).isFile();
    },
    json<T = unknown>(name: string): T {
      return once(`json:${name}`, () => {
        const contents = text(name);
        try {
          return JSON.parse(contents) as T;
        } catch (error) {
          throw new Error(`${path(name)} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
    },
    csv(name) {
      return once(`csv:${name}`, () => {
        const result = Papa.parse<Record<string, string>>(text(name), { header: true, skipEmptyLines: true, dynamicTyping: false });
        const problem = result.errors[0];
        if (problem) throw new Error(`${path(name)}: row ${(problem.row ?? 0) + 2}: ${problem.message}`);
        return result.data;
      });
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
