/**
 * Snapshots of what the report says and draws, from a small synthetic outputs/ folder: the Vega-Lite
 * specs of representative charts, report.md and every table's CSV. A change in any of them shows up
 * as a diff of a readable text file under __snapshots__/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutputsReader } from '../../pipeline/report/outputs-reader.ts';
import { buildSections, renderReport } from '../../pipeline/report/render-report.ts';
import type { ReportSection } from '../../pipeline/report/section.ts';
import { CORE_SECTIONS, makeTempDir, removeTempDirs, writeSyntheticOutputs } from './fixtures.ts';

/** JSON with every number cut to 6 significant digits, so float noise cannot move a snapshot. */
function normalizedJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(6)) : v), 2)}\n`;
}

let outputs: string;
let sections: ReportSection[];

beforeAll(async () => {
  outputs = makeTempDir();
  writeSyntheticOutputs(outputs);
  sections = buildSections(createOutputsReader(outputs), CORE_SECTIONS);
  await renderReport(outputs, () => {}, CORE_SECTIONS);
});
afterAll(removeTempDirs);

describe('report snapshots (synthetic outputs)', () => {
  it('builds the core sections in order: one grid per reproduced behaviour, and each task panel alone for linking', () => {
    expect(sections.map((s) => s.id)).toEqual(['headline', 'confusion', 'tasks', 'methods']);
    const charts = sections.find((s) => s.id === 'tasks')!.charts;
    expect(charts.filter((c) => !c.linkOnly).map((c) => c.id)).toEqual(['tasks-synth2024-predictable', 'tasks-synth2024-breakthrough', 'tasks-synth2024-inverse', 'tasks-synth2024-trendless']);
    expect(charts.filter((c) => c.linkOnly).map((c) => c.id)).toEqual(['task-alpha', 'task-delta', 'task-gamma', 'task-beta']);
  });

  it.each(['headline-predictable', 'confusion-matrix', 'task-beta', 'tasks-synth2024-trendless'])('Vega-Lite spec of %s', async (id) => {
    const chart = sections.flatMap((s) => s.charts).find((c) => c.id === id)!;
    await expect(normalizedJson(chart.spec)).toMatchFileSnapshot(`./__snapshots__/${id}.vl.json`);
  });

  it('report.md', async () => {
    await expect(readFileSync(join(outputs, 'report', 'report.md'), 'utf8')).toMatchFileSnapshot('./__snapshots__/report.md');
  });

  it('CSV tables', async () => {
    const dir = join(outputs, 'report', 'tables');
    const names = readdirSync(dir).sort();
    expect(names).toEqual(['agreement.csv', 'behaviour-counts.csv', 'confusion-matrix.csv', 'differing-tasks.csv', 'task-fits.csv']);
    for (const name of names) await expect(readFileSync(join(dir, name), 'utf8')).toMatchFileSnapshot(`./__snapshots__/tables/${name}`);
  });

  it('the panel of a task whose label differs names the published behaviour and draws the fitted curve', () => {
    const chart = sections.flatMap((s) => s.charts).find((c) => c.id === 'task-beta')!;
    const spec = chart.spec as unknown as { title: { text: string; subtitle: string }; layer: { data: { values: { x: number; error: number }[] } }[] };
    expect(spec.title.text).toBe('Beta Reasoning (R² = 0.05)');
    expect(spec.title.subtitle).toBe('reproduced: trendless, published: noisy');
    const curve = spec.layer[1]!.data.values;
    // ε − k·exp(−γ·x) with ε = 0.7, k = 1, γ = 0.1, over the models' loss range [2.4, 4.6].
    expect(curve[0]).toEqual({ x: 2.4, error: Number((0.7 - Math.exp(-0.24)).toFixed(4)) });
    expect(curve[curve.length - 1]!.x).toBe(4.6);
  });
});
