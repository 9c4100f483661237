/** Command-line option parsing with errors a user understands. */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { shownPath } from '../util/paths.ts';
import { parseArgs } from 'node:util';
import { UserError, describeSystemError } from '../util/errors.ts';

export function parseOptions<T extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new UserError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * `path` as an output folder: created when missing; refused with one line naming it and the cause
 * when it is a file or cannot be written (checked before any work, not after minutes of fitting).
 */
export function requireWritableFolder(path: string, option: string): string {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw new UserError(`${option} ${path}: expected a folder, found a file`);
  // The nearest folder that exists is the one that must be writable (mkdir -p reports ENOENT, not why).
  let existing = path;
  while (!statSync(existing, { throwIfNoEntry: false }) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    accessSync(existing, constants.W_OK);
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw new UserError(`${option} ${path}: ${describeSystemError(error) ?? String(error)}`);
  }
  return path;
}

/** The folder given as --studies, resolved; a UserError in one line when it is not a folder. */
export function registryOption(value: string): string {
  const dir = resolve(value);
  let isFolder = false;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) throw new UserError(`registry folder ${shownPath(dir)} not found: --studies (make STUDIES=DIR) must be a folder of study folders, such as studies`);
  return dir;
}
