/**
 * outputs/run-record.json: what one generation of outputs/ was made from and what it holds. Written
 * last by `make reproduce` (and by `make report` when it re-renders); `make report`, `make publish`
 * and `make diff` check it before they trust outputs/.
 *
 * It records the sha256 of every input the run read (the registry's files, the vocabulary, the
 * analysis configuration and calibration, the schemas), the configuration as used (with command-line
 * overrides), the git commit and dirty flag, the runtime and package versions, and the sha256 of
 * every file produced. Nothing in it depends on the clock, so two runs give the same bytes.
 */
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { formatSortedJson, writeFileAtomic } from './files.ts';
import { ROOT, shownPath } from './paths.ts';
import { gitState, listFiles, packageVersions, sha256, type GitState } from './provenance.ts';

export const RUN_RECORD_FILE = 'run-record.json';

export interface RunRecord {
  schemaVersion: 1;
  $comment: string;
  /** The registry folder read: relative to the repository root when inside it (normally "studies"), else absolute. */
  registry: string;
  /** The analysis configuration file read, named like `registry`, and the sha256 of the configuration as used. */
  config: { file: string; sha256: string };
  /** sha256 of every input file, by path (repository-relative when inside it). */
  inputs: Record<string, string>;
  git: GitState;
  node: string;
  project: { name: string; version: string };
  packages: Record<string, string>;
  /** sha256 of every file of this generation except the run record itself, by path inside outputs/. */
  outputs: Record<string, string>;
}

/** What the run read: given to `collectInputs` and recorded. */
export interface RunInputs {
  registryDir: string;
  configPath: string;
  /** sha256 of the configuration as used (formatJson of the loaded, possibly overridden, configuration). */
  configSha256: string;
  /** Repository root (default the project's): schemas/, pipeline/config/, package.json, git. */
  root?: string;
}

/** A path as recorded: relative with forward slashes inside `root`, absolute outside it. */
export function recordedPath(root: string, path: string): string {
  const rel = relative(root, resolve(path));
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? resolve(path) : rel.split(sep).join('/');
}

function resolveRecorded(root: string, path: string): string {
  return isAbsolute(path) ? path : join(root, path);
}

/**
 * Every input file a run with these settings reads, with sha256: all files of the registry (and the
 * project's vocabulary.json when the registry has none), the configuration file, calibration.json and
 * schemas/*.json.
 */
export function collectInputs(root: string, registryDir: string, configPath: string): Record<string, string> {
  const files: string[] = [];
  const registry = resolve(registryDir);
  files.push(...listFiles(registry, registry).map((f) => join(registry, f)));
  if (!existsSync(join(registry, 'vocabulary.json'))) files.push(join(root, 'studies', 'vocabulary.json'));
  files.push(resolve(configPath), join(root, 'pipeline', 'config', 'calibration.json'));
  files.push(...listFiles(join(root, 'schemas'), join(root, 'schemas')).filter((f) => /^[^/]+\.json$/.test(f)).map((f) => join(root, 'schemas', f)));
  const hashes: Record<string, string> = {};
  for (const file of [...new Set(files)]) {
    if (existsSync(file) && lstatSync(file).isFile()) hashes[recordedPath(root, file)] = sha256(file);
  }
  return Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** sha256 of every file of a generation folder except the run record. */
export function outputHashes(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir, dir).filter((f) => f !== RUN_RECORD_FILE).map((f) => [f, sha256(join(dir, f))]));
}

/**
 * Build the record of the generation in `dir` (every file already written) and write it there.
 * `outputs`: the sha256 of every file of `dir` when the caller already has them (a restored cached
 * run); otherwise they are computed.
 */
export async function writeRunRecord(dir: string, run: RunInputs, outputs?: Record<string, string>): Promise<RunRecord> {
  const root = run.root ?? ROOT;
  const { project, packages } = packageVersions(root);
  const record: RunRecord = {
    schemaVersion: 1,
    $comment: 'Written by make reproduce; do not edit. make report, make publish and make diff check outputs/ against it.',
    registry: recordedPath(root, run.registryDir),
    config: { file: recordedPath(root, run.configPath), sha256: run.configSha256 },
    inputs: collectInputs(root, run.registryDir, run.configPath),
    git: await gitState(root),
    node: process.version,
    project,
    packages,
    outputs: outputs ? Object.fromEntries(Object.entries(outputs).filter(([file]) => file !== RUN_RECORD_FILE)) : outputHashes(dir),
  };
  writeFileAtomic(join(dir, RUN_RECORD_FILE), formatSortedJson(record));
  return record;
}

/** The same record for a re-rendered generation: inputs and provenance kept, outputs hashed again. */
export function rewriteRunRecord(dir: string, record: RunRecord): RunRecord {
  const updated: RunRecord = { ...record, outputs: outputHashes(dir) };
  writeFileAtomic(join(dir, RUN_RECORD_FILE), formatSortedJson(updated));
  return updated;
}

export function readRunRecord(dir: string): RunRecord | undefined {
  const path = join(dir, RUN_RECORD_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as RunRecord;
    return value && value.schemaVersion === 1 && typeof value.outputs === 'object' && typeof value.inputs === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** What differs between two sets of hashed files. */
export interface FileChanges {
  changed: string[];
  added: string[];
  removed: string[];
}

export function compareHashes(now: Record<string, string>, before: Record<string, string>): FileChanges {
  return {
    changed: Object.keys(now).filter((f) => f in before && before[f] !== now[f]).sort(),
    added: Object.keys(now).filter((f) => !(f in before)).sort(),
    removed: Object.keys(before).filter((f) => !(f in now)).sort(),
  };
}

export function hasChanges(changes: FileChanges): boolean {
  return changes.changed.length + changes.added.length + changes.removed.length > 0;
}

/** "a.csv changed, b.json added" — at most `limit` names, then how many more. */
export function describeChanges(changes: FileChanges, words: { changed: string; added: string; removed: string }, limit = 8): string {
  const items = [
    ...changes.changed.map((f) => `${f} ${words.changed}`),
    ...changes.added.map((f) => `${f} ${words.added}`),
    ...changes.removed.map((f) => `${f} ${words.removed}`),
  ];
  const shown = items.slice(0, limit).join(', ');
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
}

export type GenerationCheck = { ok: true; record: RunRecord } | { ok: false; problem: string };

/**
 * Is `dir` one complete generation made from the current inputs? Checks that the run record exists,
 * that every file it lists is there with its hash and nothing else is (no mixed generation), and that
 * every input it read still has the recorded hash (and no input was added or removed).
 */
export function checkGeneration(dir: string, root = ROOT): GenerationCheck {
  const shown = shownPath(dir);
  const record = readRunRecord(dir);
  if (!record) {
    const why = existsSync(dir) ? `${shown}/${RUN_RECORD_FILE} is missing or unreadable` : `${shown} does not exist`;
    return { ok: false, problem: `${why}: these outputs were not made by make reproduce (or by an older version of it); run make reproduce` };
  }
  const files = compareHashes(outputHashes(dir), record.outputs);
  if (hasChanges(files)) {
    const detail = describeChanges(files, { changed: 'differs from what the run wrote', added: 'was not written by the run', removed: 'is missing' });
    return { ok: false, problem: `${shown} is not one complete generation: ${detail}; run make reproduce` };
  }
  const registry = resolveRecorded(root, record.registry);
  const configPath = resolveRecorded(root, record.config.file);
  const inputs = compareHashes(collectInputs(root, registry, configPath), record.inputs);
  if (hasChanges(inputs)) {
    const detail = describeChanges(inputs, { changed: 'changed', added: 'was added', removed: 'was removed' });
    return { ok: false, problem: `inputs changed since ${shown} was made: ${detail}; run make reproduce` };
  }
  return { ok: true, record };
}
