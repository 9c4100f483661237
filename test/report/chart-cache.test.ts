/**
 * The chart cache: a report drawn with charts from the cache is byte for byte the report drawn
 * afresh; a chart is reused only for the same spec and code version; the cache keeps only the
 * charts of the last report.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChartCache } from '../../pipeline/report/chart-cache.ts';
import { renderReport } from '../../pipeline/report/render-report.ts';
import type { VegaSpec } from '../../pipeline/report/render-chart.ts';
import { filesBelow } from '../helpers/files.ts';
import { CORE_SECTIONS, makeTempDir, removeTempDirs, writeSyntheticOutputs } from './fixtures.ts';

let fresh: string;

beforeAll(async () => {
  fresh = makeTempDir();
  writeSyntheticOutputs(fresh);
  await renderReport(fresh, () => {}, CORE_SECTIONS);
});
afterAll(removeTempDirs);

const spec = (title: string): VegaSpec => ({ title, width: 10, height: 10 }) as VegaSpec;

describe('the chart cache', () => {
  it('draws a chart once, reuses it for the same spec and code version, and keeps only the last report\'s charts', () => {
    const dir = join(makeTempDir(), 'charts');
    const drawn: string[] = [];
    const draw = (s: VegaSpec): string => {
      drawn.push(String(s.title));
      return `<svg>${String(s.title)}</svg>`;
    };
    const first = openChartCache(dir, 'code-1');
    expect([first.svg(spec('a'), draw), first.svg(spec('b'), draw)]).toEqual(['<svg>a</svg>', '<svg>b</svg>']);
    expect(first.finish()).toEqual({ reused: 0, drawn: 2 });

    const second = openChartCache(dir, 'code-1');
    expect(second.svg(spec('a'), draw)).toBe('<svg>a</svg>');
    expect(second.finish()).toEqual({ reused: 1, drawn: 0 });
    expect(drawn).toEqual(['a', 'b']);
    expect(readdirSync(dir)).toHaveLength(1); // b was not used by the second report

    const otherCode = openChartCache(dir, 'code-2');
    otherCode.svg(spec('a'), draw);
    expect(otherCode.finish()).toEqual({ reused: 0, drawn: 1 });
  });

  it('gives a report byte-identical to one drawn without it, the second time entirely from the cache', async () => {
    const cacheDir = join(makeTempDir(), 'charts');
    const logs: string[] = [];
    for (let run = 0; run < 2; run++) {
      const outputs = makeTempDir();
      writeSyntheticOutputs(outputs);
      await renderReport(outputs, (line) => logs.push(line), CORE_SECTIONS, openChartCache(cacheDir, 'code'));
      const expected = filesBelow(join(fresh, 'report'));
      const actual = filesBelow(join(outputs, 'report'));
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [name, bytes] of expected) expect(actual.get(name)!.equals(bytes), name).toBe(true);
    }
    const counts = logs.filter((line) => line.includes('chart cache'));
    expect(counts[0]).toMatch(/drew [1-9]\d* charts, 0 unchanged/);
    expect(counts[1]).toMatch(/drew 0 charts, [1-9]\d* unchanged/);
  });
});
