/**
 * A content-addressed cache of whole `reproduce` runs. The key is the sha256 of: each study's input
 * files (one hash per study folder, plus the registry's top-level files), the analysis configuration,
 * and the code version (every file under pipeline/ and schemas/, and package-lock.json for the
 * libraries). A run whose key is cached copies the cached files into the outputs folder instead of
 * recomputing them; the files are those the run wrote, byte for byte (test/pipeline/run-cache.test.ts).
 * Entries live in a git-ignored folder (.cache/reproduce/ by default); the newest few are kept.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { formatJson, writeFileAtomic } from './files.ts';
import { ROOT } from './paths.ts';
import { sha256, sha256Text } from './provenance.ts';

export const DEFAULT_RUN_CACHE_DIR = join(ROOT, '.cache', 'reproduce');
const KEEP_ENTRIES = 3;
const FILES_LIST = 'files.json';
const EXTRA = 'extra.json';
/** sha256 of every stored file, so a restored run's record need not read them all again. */
const HASHES = 'hashes.json';

/** sha256 over every file below `dir` (relative path and bytes, in sorted order); symlinks by their target text. */
function hashTree(dir: string, hash = createHash('sha256'), base = dir): ReturnType<typeof createHash> {
  if (!existsSync(dir)) return hash;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) hash.update(`link ${relative(base, path)}\0${readlinkSync(path)}\0`);
    else if (stat.isDirectory()) hashTree(path, hash, base);
    else if (stat.isFile()) hash.update(`file ${relative(base, path)}\0${stat.size}\0`).update(readFileSync(path));
  }
  return hash;
}

/** The parts of a run's key, each a sha256: one per study folder (and `registry files`), the configuration, the code. */
export function runKeyParts(studiesDir: string, config: unknown, root = ROOT): Record<string, string> {
  const parts: Record<string, string> = {};
  const topLevel = createHash('sha256');
  for (const name of readdirSync(studiesDir).sort()) {
    const path = join(studiesDir, name);
    if (lstatSync(path).isDirectory()) parts[`study ${name}`] = hashTree(path).digest('hex');
    else topLevel.update(`${name}\0`).update(lstatSync(path).isFile() ? readFileSync(path) : '');
  }
  parts['registry files'] = topLevel.digest('hex');
  parts.config = sha256Text(JSON.stringify(config));
  const code = hashTree(join(root, 'pipeline'));
  hashTree(join(root, 'schemas'), code);
  code.update(readFileSync(join(root, 'package-lock.json')));
  parts.code = code.digest('hex');
  return parts;
}

/** The key of a run: sha256 of its parts. */
export function runKey(parts: Record<string, string>): string {
  return sha256Text(JSON.stringify(Object.entries(parts).sort(([a], [b]) => (a < b ? -1 : 1))));
}

/**
 * Copy a cached run into outputsDir (after clearing what a fresh run would replace: the report's
 * figures and tables); returns the files written, the extra data stored with them and, when the
 * entry has them, the sha256 of every file (by path inside outputsDir), or undefined when the key is
 * not cached. Files are copied by the kernel (copyFileSync): outputsDir is a generation folder that
 * nobody sees until it is complete (util/generation.ts), so each file need not be written atomically.
 */
export function restoreRun<T>(cacheDir: string, key: string, outputsDir: string): { written: string[]; extra: T; hashes?: Record<string, string> } | undefined {
  const entry = join(cacheDir, key);
  if (!existsSync(join(entry, FILES_LIST))) return undefined;
  const files = JSON.parse(readFileSync(join(entry, FILES_LIST), 'utf8')) as string[];
  for (const dir of ['figures', 'tables']) rmSync(join(outputsDir, 'report', dir), { recursive: true, force: true });
  const written = copyFiles(join(entry, 'files'), outputsDir, files);
  const hashes = existsSync(join(entry, HASHES)) ? (JSON.parse(readFileSync(join(entry, HASHES), 'utf8')) as Record<string, string>) : undefined;
  return { written, extra: JSON.parse(readFileSync(join(entry, EXTRA), 'utf8')) as T, ...(hashes ? { hashes } : {}) };
}

/**
 * Copy `files` (paths relative to `from`) to the same paths below `to`, by the kernel (copyFileSync),
 * making each folder once; returns the copies' paths. Not atomic per file: callers copy into a
 * folder nobody reads until it is complete.
 */
function copyFiles(from: string, to: string, files: readonly string[]): string[] {
  const made = new Set<string>();
  return files.map((file) => {
    const target = join(to, file);
    if (!made.has(dirname(target))) {
      mkdirSync(dirname(target), { recursive: true });
      made.add(dirname(target));
    }
    copyFileSync(join(from, file), target);
    return target;
  });
}

/**
 * Store the files a run wrote (absolute paths inside outputsDir) under key, atomically; keep the newest
 * entries. `hashes` (by path inside outputsDir, as the run record lists them) saves hashing again a
 * file the run record has just hashed. Files are copied by the kernel: the entry is a temporary
 * folder until renamed into place, so each file need not be written atomically.
 */
export function storeRun(cacheDir: string, key: string, outputsDir: string, written: readonly string[], extra: unknown, hashes: Readonly<Record<string, string>> = {}): void {
  const files = [...new Set(written.map((path) => relative(outputsDir, path)))].sort();
  if (files.some((file) => file.startsWith('..'))) return; // wrote outside the outputs folder: not a cacheable run
  mkdirSync(cacheDir, { recursive: true });
  const temp = join(cacheDir, `.tmp-${key}-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  try {
    const copies = copyFiles(outputsDir, join(temp, 'files'), files);
    const stored = Object.fromEntries(files.map((file, i) => [file, hashes[file] ?? sha256(copies[i]!)]));
    writeFileAtomic(join(temp, HASHES), formatJson(stored));
    writeFileAtomic(join(temp, EXTRA), formatJson(extra));
    writeFileAtomic(join(temp, FILES_LIST), formatJson(files));
    rmSync(join(cacheDir, key), { recursive: true, force: true });
    renameSync(temp, join(cacheDir, key));
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  const entries = readdirSync(cacheDir)
    .filter((name) => /^[0-9a-f]{64}$/.test(name))
    .map((name) => ({ name, time: statSync(join(cacheDir, name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const old of entries.slice(KEEP_ENTRIES)) rmSync(join(cacheDir, old.name), { recursive: true, force: true });
}
