/**
 * A folder of results named by the sha256 of everything they were computed from (the code and
 * Node.js versions included), for results that are slow to compute and depend on nothing else: a
 * run reuses what an earlier run computed from the same inputs. It keeps what the last run used
 * and nothing more (finish()), so it does not grow from run to run.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './files.ts';

export interface CacheEntry {
  /** The stored result, or undefined when there is none (or another run removed it meanwhile). */
  cached: Buffer | undefined;
  store(data: string | Uint8Array): void;
}

export interface ContentCache {
  /** The entry for a result computed from `inputs` (texts or the bytes of typed arrays). */
  entry(inputs: readonly (string | ArrayBufferView)[]): CacheEntry;
  /** Delete the entries this run did not use; how many it reused and how many it stored. */
  finish(): { reused: number; stored: number };
}

/** A cache of files ending in `suffix` in `dir`, for code whose version is `codeVersion`. */
export function openContentCache(dir: string, codeVersion: string, suffix: string): ContentCache {
  const used = new Set<string>();
  let reused = 0;
  let stored = 0;
  return {
    entry(inputs) {
      // Node's own maths (Math.log, expm1, …) computes them too: its version is part of the key.
      const hash = createHash('sha256').update(`${codeVersion}\0${process.version}`);
      // Each input's length first, so that no two lists of inputs hash the same bytes.
      for (const input of inputs) {
        const bytes = typeof input === 'string' ? Buffer.from(input) : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
        hash.update(`\0${bytes.length}\0`).update(bytes);
      }
      const name = `${hash.digest('hex')}${suffix}`;
      used.add(name);
      const path = join(dir, name);
      let cached: Buffer | undefined;
      try {
        cached = readFileSync(path);
        reused++;
      } catch {
        cached = undefined;
      }
      return {
        cached,
        store(data) {
          writeFileAtomic(path, data); // makes the folder when needed
          stored++;
        },
      };
    },
    finish() {
      if (existsSync(dir)) for (const name of readdirSync(dir)) if (name.endsWith(suffix) && !used.has(name)) rmSync(join(dir, name), { force: true });
      return { reused, stored };
    },
  };
}
