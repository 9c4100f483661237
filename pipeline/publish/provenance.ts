/** What a published version records about where it came from: git state, runtime, packages, hashes. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export type GitState = { repository: true; commit: string; dirty: boolean } | { repository: false; note: string };

/** HEAD and whether the working tree has changes (`git status --porcelain`), or why there is no answer. */
export function gitState(root: string): GitState {
  const git = (args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const inside = git(['rev-parse', '--is-inside-work-tree']).trim();
    if (inside !== 'true') return { repository: false, note: 'not a git repository' };
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { repository: false, note: missing ? 'git is not installed' : 'not a git repository' };
  }
  let commit: string;
  try {
    commit = git(['rev-parse', 'HEAD']).trim();
  } catch {
    return { repository: false, note: 'a git repository without commits' };
  }
  const status = git(['status', '--porcelain']);
  return { repository: true, commit, dirty: status.trim() !== '' };
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Every regular file under `dir`, as paths relative to `base` with forward slashes, sorted. */
export function listFiles(dir: string, base: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) found.push(relative(base, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return found.sort();
}

/** The inputs of a run: every file under studies/, pipeline/config/*.json and schemas/*.json, with sha256. */
export function inputHashes(root: string): Record<string, string> {
  const files = [
    ...listFiles(join(root, 'studies'), root),
    ...listFiles(join(root, 'pipeline', 'config'), root).filter((f) => /^pipeline\/config\/[^/]+\.json$/.test(f)),
    ...listFiles(join(root, 'schemas'), root).filter((f) => /^schemas\/[^/]+\.json$/.test(f)),
  ].sort();
  return Object.fromEntries(files.map((f) => [f, sha256(join(root, f))]));
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
