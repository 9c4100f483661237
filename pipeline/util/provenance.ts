/** Where a run came from: git state, runtime and package versions, and sha256 hashes of files. */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { COMMAND_OPTIONS } from './processes.ts';

export type GitState = { repository: true; commit: string; dirty: boolean } | { repository: false; note: string };

/** Run git in `root` through zx (loaded only when needed); never throws, exit code 127 when git is missing. */
async function git(root: string, args: string[]): Promise<{ code: number; stdout: string }> {
  const { $ } = await import('zx');
  const result = await $({ ...COMMAND_OPTIONS, cwd: root })`git ${args}`;
  return { code: result.exitCode ?? 1, stdout: result.stdout };
}

/** HEAD and whether the working tree has changes (`git status --porcelain`), or why there is no answer. */
export async function gitState(root: string): Promise<GitState> {
  // The three at once (each is a process start): the later two only count when the first says yes.
  const [inside, head, status] = await Promise.all([git(root, ['rev-parse', '--is-inside-work-tree']), git(root, ['rev-parse', 'HEAD']), git(root, ['status', '--porcelain'])]);
  if (inside.code === 127) return { repository: false, note: 'git is not installed' };
  if (inside.code !== 0 || inside.stdout.trim() !== 'true') return { repository: false, note: 'not a git repository' };
  if (head.code !== 0) return { repository: false, note: 'a git repository without commits' };
  return { repository: true, commit: head.stdout.trim(), dirty: status.stdout.trim() !== '' };
}

/** Files under `paths` (relative to `root`) that differ between two commits; undefined when git cannot tell. */
export async function changedBetween(root: string, from: string, to: string, paths: string[]): Promise<string[] | undefined> {
  const diff = await git(root, ['diff', '--name-only', `${from}..${to}`, '--', ...paths]);
  if (diff.code !== 0) return undefined;
  return diff.stdout.split('\n').filter((line) => line !== '').sort();
}

/** One buffer for every file hashed: a run hashes tens of megabytes of outputs, and reading each file
 * whole would leave buffers of that size for the garbage collector (the run's peak memory). */
const HASH_CHUNK = Buffer.allocUnsafe(1 << 20);

/** sha256 of a file, read a megabyte at a time. */
export function sha256(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    for (let read; (read = readSync(fd, HASH_CHUNK, 0, HASH_CHUNK.length, null)) > 0; ) hash.update(HASH_CHUNK.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

export function sha256Text(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Every regular file under `dir` (symlinks are not followed), as paths relative to `base` with forward slashes, sorted. */
export function listFiles(dir: string, base: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) found.push(relative(base, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return found.sort();
}

/** Versions of the project's dependencies as installed (node_modules/<name>/package.json). */
export function packageVersions(root: string): { project: { name: string; version: string }; packages: Record<string, string> } {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string> };
  const packages: Record<string, string> = {};
  for (const name of Object.keys(manifest.dependencies ?? {}).sort()) {
    const path = join(root, 'node_modules', ...name.split('/'), 'package.json');
    packages[name] = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version : 'not installed';
  }
  return { project: { name: manifest.name, version: manifest.version }, packages };
}
