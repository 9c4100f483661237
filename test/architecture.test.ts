/**
 * The layering is one-way: a stage imports only stages below it, plus util/ and stats/. This reads
 * every import of pipeline/ and fails on one that reaches up, naming the file and the import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../pipeline/util/paths.ts';

const PIPELINE = join(ROOT, 'pipeline');

/** Lower ranks are lower layers; a module may import its own layer or any lower one. */
const RANK: Record<string, number> = {
  util: 0,
  stats: 0,
  config: 0,
  ingest: 1,
  import: 2,
  normalize: 2,
  fit: 3,
  classify: 4,
  aggregate: 5,
  analyses: 6,
  report: 7,
  publish: 8,
  'run.ts': 9,
  'reproduce.ts': 9,
  cli: 10,
};

function layerOf(path: string): string {
  return relative(PIPELINE, path).split('/')[0]!;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('pipeline layering', () => {
  it('every module is in a known layer', () => {
    const unknown = [...new Set(sources(PIPELINE).map(layerOf))].filter((layer) => !(layer in RANK));
    expect(unknown).toEqual([]);
  });

  it('no module imports a layer above its own', () => {
    const upward: string[] = [];
    for (const file of sources(PIPELINE)) {
      const from = layerOf(file);
      // Static imports and re-exports, and dynamic import('…') (used to load heavy stages lazily).
      for (const match of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/gm)) {
        const target = match[1] ?? match[2]!;
        const to = layerOf(resolve(dirname(file), target));
        if (RANK[to]! > RANK[from]!) upward.push(`${relative(ROOT, file)} imports ${target} (${from} → ${to})`);
      }
    }
    expect(upward).toEqual([]);
  });
});
