/**
 * outputs/ is replaced as one generation: a run writes into a sibling temporary folder
 * (`.outputs.building-<pid>`) and only a finished generation is swapped in, by two renames. A run
 * killed at any moment leaves the previous outputs/ as it was; the only window (between the two
 * renames) is repaired by the next run, which puts `.outputs.previous-<pid>` back.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from './errors.ts';
import { shownPath } from './paths.ts';

export interface Generation {
  /** The temporary folder to write into. */
  dir: string;
  /** Swap the finished generation into place (the previous one is removed). */
  commit(): void;
  /** Remove the unfinished generation; the previous outputs stay. */
  abort(): void;
}

const siblings = (target: string, kind: 'building' | 'previous'): string => `.${basename(target)}.${kind}-`;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed run whose parent has not reaped it yet still answers kill(pid, 0): a zombie is not running.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * Undo what a killed run left: a previous generation moved aside but not replaced is put back, and
 * temporary folders of runs that are no longer running are removed.
 */
export function repairGeneration(target: string): void {
  const parent = dirname(target);
  if (!existsSync(parent)) return;
  for (const name of readdirSync(parent)) {
    for (const kind of ['building', 'previous'] as const) {
      const prefix = siblings(target, kind);
      if (!name.startsWith(prefix)) continue;
      const pid = Number(name.slice(prefix.length));
      if (Number.isInteger(pid) && pid !== process.pid && isRunning(pid)) continue;
      const path = join(parent, name);
      if (kind === 'previous' && !existsSync(target)) renameSync(path, target);
      else rmSync(path, { recursive: true, force: true });
    }
  }
}

export function beginGeneration(target: string): Generation {
  repairGeneration(target);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const dir = join(parent, `${siblings(target, 'building')}${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  return {
    dir,
    commit() {
      const previous = join(parent, `${siblings(target, 'previous')}${process.pid}`);
      const hadPrevious = existsSync(target);
      if (hadPrevious) renameSync(target, previous);
      renameSync(dir, target);
      if (hadPrevious) rmSync(previous, { recursive: true, force: true });
    },
    abort() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The output folder is replaced as a whole, so it must be one that reproduce made (or an empty or
 * new folder): never a file, never a folder of other things given by mistake as --out.
 */
export function checkReplaceable(outputsDir: string): void {
  repairGeneration(outputsDir);
  if (!existsSync(outputsDir)) return;
  const shown = shownPath(outputsDir);
  if (!statSync(outputsDir).isDirectory()) throw new UserError(`${shown} is not a folder: give --out a folder for the outputs`);
  const entries = readdirSync(outputsDir);
  const made = entries.length === 0 || entries.includes('run-record.json') || entries.includes('reproduction.json');
  if (!made) throw new UserError(`${shown} holds files that make reproduce did not write, and the whole folder is replaced: give --out an empty or new folder`);
}
