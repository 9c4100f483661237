/**
 * SVGs of charts drawn by earlier runs, keyed by the sha256 of the code version and the compiled
 * Vega spec (its data included), so that a run in which one study changed redraws only the charts
 * whose spec changed. Drawing depends on nothing but the spec and the code (render-chart.ts
 * renumbers vega's process-wide ids), so a cached SVG is byte for byte the one the chart would be
 * drawn as; test/report/chart-cache.test.ts checks a report from the cache against a fresh one.
 * The cache holds the charts of the last report only: finish() deletes the others.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/files.ts';
import { sha256Text } from '../util/provenance.ts';
import type { VegaSpec } from './render-chart.ts';

/** The chart cache's folder inside the reproduce cache (.cache/reproduce/charts/). */
export const CHARTS_DIR = 'charts';

export interface ChartCache {
  /** The SVG of `spec`: the cached one, or `draw(spec)`, stored for the next run. */
  svg(spec: VegaSpec, draw: (spec: VegaSpec) => string): string;
  /** Delete the cached charts this report did not use; how many it reused and how many it drew. */
  finish(): { reused: number; drawn: number };
}

/** A chart cache in `dir` for code whose version (a hash of the code and its libraries) is `codeVersion`. */
export function openChartCache(dir: string, codeVersion: string): ChartCache {
  const used = new Set<string>();
  let reused = 0;
  let drawn = 0;
  return {
    svg(spec, draw) {
      const name = `${sha256Text(`${codeVersion}\0${JSON.stringify(spec)}`)}.svg`;
      used.add(name);
      const path = join(dir, name);
      try {
        const svg = readFileSync(path, 'utf8');
        reused++;
        return svg;
      } catch {
        // Not cached (or removed meanwhile by another run's finish()): draw it.
      }
      const svg = draw(spec);
      drawn++;
      mkdirSync(dir, { recursive: true });
      writeFileAtomic(path, svg);
      return svg;
    },
    finish() {
      if (existsSync(dir)) for (const name of readdirSync(dir)) if (name.endsWith('.svg') && !used.has(name)) rmSync(join(dir, name), { force: true });
      return { reused, drawn };
    },
  };
}
