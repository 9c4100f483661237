/**
 * Helpers for tests that need a study registry on disk: copy a fixture into a temporary folder,
 * change one thing, ingest it, and read the problems as `make validate` would print them.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ingestRegistry, type IngestResult } from '../../pipeline/ingest/ingest.ts';
import { formatProblem } from '../../pipeline/ingest/problems.ts';
import { ROOT } from '../../pipeline/util/paths.ts';

export const GOOD_REGISTRY = join(ROOT, 'test', 'fixtures', 'studies', 'good');

const created: string[] = [];

/** A new empty temporary folder, removed by `removeTempDirs`. */
export function makeTempDir(prefix = 'registry-'): string {
  const dir = mkdtempSync(join(tmpdir(), `dsa-${prefix}`));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A temporary copy of a registry (default: the good fixture). */
export function copyRegistry(from = GOOD_REGISTRY): string {
  const dir = makeTempDir();
  cpSync(from, dir, { recursive: true });
  return dir;
}

export function readText(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

export function writeText(dir: string, file: string, text: string | Uint8Array): void {
  writeFileSync(join(dir, file), text);
}

/** Rewrite a text file through `change`. */
export function editText(dir: string, file: string, change: (text: string) => string): void {
  writeText(dir, file, change(readText(dir, file)));
}

/** Rewrite a JSON file: `change` edits the parsed value in place (or returns a replacement). */
export function editJson(dir: string, file: string, change: (json: any) => unknown): void {
  const json = JSON.parse(readText(dir, file));
  const replaced = change(json);
  writeText(dir, file, `${JSON.stringify(replaced === undefined ? json : replaced, null, 2)}\n`);
}

/** Set the cell of a simple (unquoted) CSV on 1-based `line` in the column named `column`. */
export function setCell(dir: string, file: string, line: number, column: string, value: string): void {
  editText(dir, file, (text) => {
    const lines = text.split('\n');
    const index = lines[0]!.split(',').indexOf(column);
    if (index < 0) throw new Error(`test setup: no column ${column} in ${file}`);
    const cells = lines[line - 1]!.split(',');
    cells[index] = value;
    lines[line - 1] = cells.join(',');
    return lines.join('\n');
  });
}

/** 1-based column (in characters) where `column`'s cell starts on `line` of a simple CSV. */
export function cellColumn(text: string, line: number, column: string): number {
  const lines = text.split('\n');
  const index = lines[0]!.split(',').indexOf(column);
  if (index < 0) throw new Error(`no column ${column}`);
  return lines[line - 1]!.split(',').slice(0, index).reduce((sum, cell) => sum + cell.length + 1, 1);
}

/**
 * Ingest a registry and return the result with its problems formatted as the CLI prints them
 * (`lines`), and the same lines with the registry's own path left out (`local`).
 */
export function validate(dir: string, fallbackVocabularyDir?: string): IngestResult & { lines: string[]; local: string[] } {
  const result = ingestRegistry(dir, fallbackVocabularyDir);
  const lines = result.problems.map(formatProblem);
  const prefix = `${relative(process.cwd(), dir)}/`;
  return { ...result, lines, local: lines.map((line) => (line.startsWith(prefix) ? line.slice(prefix.length) : line)) };
}
