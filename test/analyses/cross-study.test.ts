/**
 * Cross-study comparison on synthetic studies with known behaviours: a benchmark with the same
 * exponential shape in both studies (same behaviour), one that is an exponential in one study and
 * flat in the other (different behaviour), a benchmark scored by a harness with a known defect
 * (flagged), shot-count preference with ties, and a study without the shared validation set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crossStudy, knownIssue, writeCrossStudy, type CrossStudyRow } from '../../pipeline/analyses/cross-study.ts';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { createOutputsReader } from '../../pipeline/report/outputs-reader.ts';
import { crossStudySection } from '../../pipeline/report/sections/cross-study.ts';
import { buildDataset, buildStudy, curve, normalSource, uniformSource, type TaskSpec } from './build.ts';

const config = loadConfig();

function losses(n: number, seed: number): number[] {
  const uniform = uniformSource(seed);
  return Array.from({ length: n }, () => 2.4 + 3.6 * uniform());
}

function task(id: string, benchmark: string, shots: number, x: number[], shape: 'exponential' | 'flat', seed: number): TaskSpec {
  const normal = normalSource(seed);
  const truth = curve(0.76, 16.8, 1.5);
  return { id, benchmark, shots, items: 3000, error: x.map((xi) => (shape === 'exponential' ? truth(xi) : 0.5) + 0.008 * normal()) };
}

const xA = losses(60, 1);
const xB = losses(40, 2);
const alpha = buildStudy({
  id: 'alpha',
  corpus: xA.map(() => 'web'),
  loss: { c4_val: xA, code: xA.map((x) => x + 1) },
  canonical: { c4_val: 'c4-validation', code: 'paloma-100-pl' },
  harness: { name: 'LLM Foundry', version: 'v0.4.0' },
  tasks: [
    task('same_10shot', 'same', 10, xA, 'exponential', 11),
    task('same_0shot', 'same', 0, xA, 'exponential', 12),
    task('diff', 'diff', 5, xA, 'exponential', 13),
    task('siqa', 'siqa', 10, xA, 'exponential', 14),
    task('mm_5shot', 'mm', 5, xA, 'exponential', 15),
    task('mm_0shot', 'mm', 0, xA, 'exponential', 16),
    task('solo', 'solo', 0, xA, 'exponential', 17),
  ],
});
const beta = buildStudy({
  id: 'beta',
  corpus: xB.map(() => 'mix'),
  loss: { c4_en: xB },
  canonical: { c4_en: 'c4-validation' },
  harness: { name: 'OLMo in-loop evaluation' },
  tasks: [task('same', 'same', 5, xB, 'exponential', 21), task('diff', 'diff', 5, xB, 'flat', 22), task('socialiqa', 'siqa', 5, xB, 'exponential', 23), task('mm', 'mm', 5, xB, 'exponential', 24)],
});
const gamma = buildStudy({ id: 'gamma', corpus: xB.map(() => 'mix'), loss: { other: xB }, tasks: [task('same', 'same', 5, xB, 'exponential', 31)] });
const dataset = buildDataset(alpha, beta, gamma);

const rowsOf = (rows: CrossStudyRow[], benchmark: string) => rows.filter((r) => r.benchmark === benchmark);

describe('cross-study comparison', () => {
  const result = crossStudy(dataset, config);
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('classifies identical shapes alike and different shapes differently', () => {
    const same = rowsOf(result.rows, 'same');
    expect(same).toHaveLength(2);
    for (const row of same) {
      expect(row.a.behaviour).toBe('predictable');
      expect(row.b.behaviour).toBe('predictable');
      expect(row.sameBehaviour).toBe(true);
      expect(row.a.n).toBe(60);
      expect(row.b.n).toBe(40);
      expect(row.a.xSet.id).toBe('c4_val');
      expect(row.b.xSet.id).toBe('c4_en');
    }
    const [diff] = rowsOf(result.rows, 'diff');
    expect(diff!.a.behaviour).toBe('predictable');
    expect(diff!.b.behaviour).toBe('trendless');
    expect(diff!.sameBehaviour).toBe(false);
  });

  it('matches only shared benchmarks, of studies with the canonical set, and prefers the closest shot counts', () => {
    expect(new Set(result.rows.map((r) => r.benchmark))).toEqual(new Set(['same', 'diff', 'siqa', 'mm']));
    expect(result.rows.every((r) => r.a.study === 'alpha' && r.b.study === 'beta')).toBe(true);
    // 10 and 0 shots are equally far from 5: both kept.
    expect(rowsOf(result.rows, 'same').map((r) => r.preferred)).toEqual([true, true]);
    // 5 shots matches exactly: the 0-shot pair is listed but not preferred.
    expect(rowsOf(result.rows, 'mm').map((r) => [r.a.task.id, r.preferred])).toEqual([
      ['mm_5shot', true],
      ['mm_0shot', false],
    ]);
  });

  it('flags SIQA scored by LLM Foundry v0.4.0, and only that harness version', () => {
    const [siqa] = rowsOf(result.rows, 'siqa');
    expect(siqa!.comparable).toBe(false);
    expect(siqa!.note).toContain('alpha: SIQA gold labels were wrong in LLM Foundry v0.4.0');
    expect(result.rows.filter((r) => r.benchmark !== 'siqa').every((r) => r.comparable && r.note === '')).toBe(true);
    const later = buildStudy({ id: 'later', corpus: ['x', 'x', 'x'], loss: { v: [1, 2, 3] }, harness: { name: 'LLM Foundry', version: 'v0.5.0' }, tasks: [{ id: 'siqa', benchmark: 'siqa', error: [0.5, 0.5, 0.5] }] });
    expect(knownIssue(later, later.tasks[0]!)).toBeUndefined();
    expect(knownIssue(alpha, alpha.tasks.find((t) => t.id === 'siqa')!)).toBeDefined();
  });

  it('writes the CSVs and a section counting the comparable pairs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsa-cross-'));
    dirs.push(dir);
    writeCrossStudy(dir, result);
    const reader = createOutputsReader(dir);
    const rows = reader.csv('cross-study.csv');
    expect(Object.keys(rows[0]!).slice(0, 12)).toEqual(['benchmark', 'study_a', 'task_a', 'behaviour_a', 'r2_a', 'n_a', 'study_b', 'task_b', 'behaviour_b', 'r2_b', 'n_b', 'same_behaviour']);
    expect(Object.keys(rows[0]!)).toContain('note');
    const points = reader.csv('cross-study-points.csv');
    // Preferred tasks only: same (2 alpha + 1 beta), diff (1 + 1), siqa (1 + 1), mm (1 + 1).
    expect(new Set(points.map((p) => `${p.benchmark}/${p.study}/${p.task}`)).size).toBe(9);
    const section = crossStudySection(reader)!;
    // Preferred and comparable: same ×2 (same), diff (different), mm_5shot (same) → 3 of 4.
    expect(section.summary[0]).toContain('Of their 4 comparable task pairs (shot counts as close as the studies allow), 3 get the same behaviour');
    expect(section.summary.join(' ')).toContain('Flagged and left out of the count: siqa');
    expect(section.charts.map((c) => c.id).sort()).toEqual(['cross-study-diff', 'cross-study-mm', 'cross-study-same', 'cross-study-siqa']);
  });

  it('lists every task of each benchmark two studies share, and sums up agreement per pair of studies', () => {
    // solo is in alpha only: it does not appear. gamma has no C4 set, so no pair on C4, but the
    // matrix labels each study on its own headline x, so its 'same' is there (x = its only loss).
    expect([...new Set(result.labels.map((l) => l.benchmark))]).toEqual(['diff', 'mm', 'same', 'siqa']);
    expect(result.labels.filter((l) => l.benchmark === 'same').map((l) => `${l.study}/${l.task.id}/${l.x}/${l.behaviour}`)).toEqual([
      'alpha/same_10shot/loss:c4_val/predictable',
      'alpha/same_0shot/loss:c4_val/predictable',
      'beta/same/loss:c4_en/predictable',
      'gamma/same/loss:other/predictable',
    ]);
    expect(result.rows.some((r) => r.a.study === 'gamma' || r.b.study === 'gamma')).toBe(false);
    // One pair of studies: 4 preferred comparable pairs over 3 benchmarks, 3 agree; no 'all' row.
    expect(result.agreement).toHaveLength(1);
    expect(result.agreement[0]).toMatchObject({ studyA: 'alpha', studyB: 'beta', pairs: 4, benchmarks: 3, agree: 3, agreeBinary: 3 });
    const delta = buildStudy({ id: 'delta', corpus: xB.map(() => 'mix'), loss: { c4: xB }, canonical: { c4: 'c4-validation' }, tasks: [task('same', 'same', 5, xB, 'exponential', 41)] });
    const three = crossStudy(buildDataset(alpha, beta, delta), config);
    expect(three.agreement.map((a) => `${a.studyA}/${a.studyB}`)).toEqual(['alpha/beta', 'alpha/delta', 'beta/delta', 'all/all']);
    expect(three.agreement.at(-1)!.pairs).toBe(three.agreement.slice(0, -1).reduce((n, a) => n + a.pairs, 0));
  });
});
