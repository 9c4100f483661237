/** Where the repository's folders are, independent of the current directory. */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The nearest folder above this module that holds package.json: the repository, whether this runs
 * from the TypeScript sources (pipeline/util/) or from their compiled copy (.build/pipeline/util/).
 */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no package.json above pipeline/util/paths');
    dir = parent;
  }
  return dir;
}

export const ROOT = repositoryRoot();
export const SCHEMAS_DIR = join(ROOT, 'schemas');
export const STUDIES_DIR = join(ROOT, 'studies');
export const OUTPUTS_DIR = join(ROOT, 'outputs');
export const REPORTS_DIR = join(ROOT, 'reports');
export const CONFIG_DIR = join(ROOT, 'pipeline', 'config');

/** A path as messages show it: relative to the current folder when inside it, else absolute. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}
