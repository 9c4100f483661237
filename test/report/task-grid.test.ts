/**
 * The task grids: one faceted chart per behaviour with one legend, and in each panel the evidence
 * that decided the label (noise band, monotone fit, straight line, binned means).
 */
import { describe, expect, it } from 'vitest';
import type { Point, TaskResult } from '../../pipeline/report/reproduction.ts';
import { corpusLabeller } from '../../pipeline/report/sections/task-panels.ts';
import { GRID_COLUMNS, PANEL_WIDTH, taskGridSpec } from '../../pipeline/report/task-grid.ts';
import { CORPUS_COLOURS } from '../../pipeline/report/theme.ts';
import { TEXT_COLUMN_WIDTH } from '../../pipeline/report/theme.ts';

const xs = Array.from({ length: 40 }, (_, i) => 2.5 + (3 * i) / 39);
function task(id: string, behaviour: string, error: (x: number) => number): { task: TaskResult; points: Point[] } {
  const points = xs.map((x, i) => ({ study: 's', xSet: 'v', task: id, model: `m${i}`, corpus: i % 2 ? 'a' : 'b', params: 1e8, tokens: 1e9, x, error: error(x) }));
  return {
    task: { task: id, name: `Task ${id}`, published: behaviour === 'noisy' ? 'trendless' : behaviour, reproduced: behaviour, rule: 1, fit: { epsilon: 0.8, k: 40, logK: Math.log(40), gamma: 1.5, sse: 0.01, r2: 0.9, n: xs.length }, features: { noise: 0.02 }, stability: {} },
    points,
  };
}
const options = { study: 's', xTitle: 'loss on v', corpora: ['a', 'b'], corpusOf: (corpus: string) => corpus, sizes: ['100M'], sizeOf: () => '100M', reversal: { bins: 4, minPointsPerBin: 5 } };

function kinds(behaviour: string, error: (x: number) => number): { kinds: Set<string>; curves: Set<string>; spec: Record<string, unknown> } {
  const { task: t, points } = task('t1', behaviour, error);
  const spec = taskGridSpec(behaviour, [t], new Map([[t.task, points]]), options) as unknown as Record<string, unknown> & { data: { values: { kind: string; curve?: string }[] } };
  return { kinds: new Set(spec.data.values.map((v) => v.kind)), curves: new Set(spec.data.values.filter((v) => v.curve).map((v) => v.curve!)), spec };
}

describe('task grid', () => {
  it('is one faceted chart (so one legend for all panels) whose panels fit the text column', () => {
    const { spec } = kinds('predictable', (x) => 0.8 - 40 * Math.exp(-1.5 * x));
    expect(spec.facet).toBeDefined();
    expect(spec.columns).toBe(GRID_COLUMNS);
    expect(GRID_COLUMNS).toBeGreaterThanOrEqual(4);
    expect(GRID_COLUMNS).toBeLessThanOrEqual(6);
    expect(GRID_COLUMNS * (PANEL_WIDTH + 40)).toBeLessThanOrEqual(TEXT_COLUMN_WIDTH);
  });

  it('draws the evidence for each label', () => {
    expect(kinds('trendless', () => 0.5).kinds).toEqual(new Set(['point', 'curve', 'band']));
    expect(kinds('trendless', () => 0.5).curves).toEqual(new Set(['fitted exponential', 'straight line']));
    expect(kinds('noisy', (x) => 0.5 + 0.01 * x).kinds).toContain('band');
    expect(kinds('breakthrough', (x) => (x > 4 ? 0.9 : 0.5)).curves).toContain('monotone fit');
    expect(kinds('inverse', (x) => 0.9 - 0.05 * x).curves).toContain('straight line');
    expect(kinds('nonmonotonic', (x) => 0.5 + 0.1 * Math.sin(2 * x)).kinds).toContain('bin');
  });

  it('names the published label in the heading of a panel whose label differs', () => {
    const { spec } = kinds('noisy', (x) => 0.5 + 0.01 * x);
    const values = (spec as unknown as { data: { values: { panel: string }[] } }).data.values;
    expect(values[0]!.panel).toBe('Task t1|R² = 0.90|published: trendless');
  });

  it('colours every corpus when they fit the palette, else the largest ones and one "other" group', () => {
    const point = (model: string, corpus: string): Point => ({ study: 's', xSet: 'v', task: 't', model, corpus, params: 1e8, tokens: 1e9, x: 3, error: 0.5 });
    const few = corpusLabeller([point('m1', 'b'), point('m2', 'a')]);
    expect(few.domain).toEqual(['a', 'b']);
    expect(few.label('b')).toBe('b');

    const many = CORPUS_COLOURS.length + 3;
    // Corpus c0 has the most models, then c1, …; each model appears in two tasks, counted once.
    const points = Array.from({ length: many }, (_, c) => Array.from({ length: many - c }, (_, m) => [point(`c${c}m${m}`, `c${c}`), { ...point(`c${c}m${m}`, `c${c}`), task: 'u' }]).flat(2)).flat();
    const grouped = corpusLabeller(points);
    expect(grouped.domain).toHaveLength(CORPUS_COLOURS.length);
    expect(grouped.domain.at(-1)).toBe('4 other corpora');
    expect(grouped.label('c0')).toBe('c0');
    expect(grouped.label(`c${many - 1}`)).toBe('4 other corpora');
    expect(new Set(points.map((p) => grouped.label(p.corpus))).size).toBe(CORPUS_COLOURS.length);
  });
});
