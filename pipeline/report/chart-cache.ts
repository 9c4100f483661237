/**
 * SVGs of charts drawn by earlier runs, keyed by the code version and the compiled Vega spec (its
 * data included; util/content-cache.ts), so that a run in which one study changed redraws only the
 * charts whose spec changed. Drawing depends on nothing but the spec and the code (render-chart.ts
 * renumbers vega's process-wide ids), so a cached SVG is byte for byte the one the chart would be
 * drawn as; test/report/chart-cache.test.ts checks a report from the cache against a fresh one.
 */
import { openContentCache } from '../util/content-cache.ts';
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
  const cache = openContentCache(dir, codeVersion, '.svg');
  return {
    svg(spec, draw) {
      const entry = cache.entry([JSON.stringify(spec)]);
      if (entry.cached) return entry.cached.toString('utf8');
      const svg = draw(spec);
      entry.store(svg);
      return svg;
    },
    finish() {
      const { reused, stored } = cache.finish();
      return { reused, drawn: stored };
    },
  };
}
