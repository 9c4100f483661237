/**
 * Extrapolation on synthetic data with known answers: noise-free exponential data extrapolate
 * exactly; a kink beyond the training range (an extra drop in error for the large models) does not.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extrapolation, splitModels, summarise, writeExtrapolation, compareWithinStudies } from '../../pipeline/analyses/extrapolation.ts';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { createOutputsReader } from '../../pipeline/report/outputs-reader.ts';
import { escapeMarkdown } from '../../pipeline/report/escape.ts';
import { extrapolationSection } from '../../pipeline/report/sections/extrapolation.ts';
import { binomialNoise, differenceNoise } from '../../pipeline/stats/noise.ts';
import { buildDataset, buildStudy, curve, uniformSource } from './build.ts';

const config = loadConfig();
const N = 60;
const KINK = 3.0;
const uniform = uniformSource(3);
const x = Array.from({ length: N }, () => 2.4 + 3.6 * uniform());
// Models below loss 3.0 are the big ones (≥ 1e9 parameters) and are held out.
const params = x.map((xi) => (xi < KINK ? 2e9 : 1e8));
const truth = curve(0.9, 20, 1.5);
const smooth = x.map(truth);
const kinked = x.map((xi) => truth(xi) - (xi < KINK ? (0.3 * (KINK - xi)) / 0.6 : 0));

function study(withParams: boolean, items: number | null = 1000) {
  const itemCount = items ?? undefined;
  return buildStudy({
    id: 'synthetic',
    corpus: x.map(() => 'web'),
    loss: { c4_val: x },
    canonical: { c4_val: 'c4-validation' },
    ...(withParams ? { params } : {}),
    tasks: [
      { id: 'smooth', items: itemCount, error: smooth },
      { id: 'kinked', items: itemCount, error: kinked },
    ],
  });
}

describe('extrapolation to held-out models', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const heldOut = x.filter((xi) => xi < KINK).length;

  it('holds out the models of at least 1e9 parameters when every model has a parameter count', () => {
    const result = extrapolation(buildDataset(study(true)), config);
    const smoothRow = result.rows.find((r) => r.task === 'smooth')!;
    expect(smoothRow).toMatchObject({ split: 'params < 1e9', nTrain: N - heldOut, nTest: heldOut, behaviour: 'predictable', withinTwoNoiseShare: 1, beyondRangeShare: 1 });
    expect(heldOut).toBeGreaterThan(5);
    expect(smoothRow.rmse).toBeLessThan(1e-6);
    expect(smoothRow.rmseOverNoise).toBeLessThan(1e-3);
    // Binomial noise over the held-out points, from the task's item count.
    expect(smoothRow.noise).toBeCloseTo(binomialNoise(Float64Array.from(x.flatMap((xi, i) => (xi < KINK ? [smooth[i]!] : []))), 1000), 12);
  });

  it('misses a kink beyond the training range by many noise units', () => {
    const result = extrapolation(buildDataset(study(true)), config);
    const row = result.rows.find((r) => r.task === 'kinked')!;
    expect(row.rmseOverNoise).toBeGreaterThan(5);
    expect(row.bias).toBeGreaterThan(0); // the curve predicts more error than the big models show
    expect(row.withinTwoNoiseShare).toBeLessThan(0.5);
    expect(row.rmseOverTrainRmse).toBeGreaterThan(100); // the training fit itself is exact
  });

  it('falls back to the highest-loss 80% when a parameter count is missing', () => {
    const s = study(false);
    const split = splitModels(s, Float64Array.from(x));
    expect(split.rule).toBe('highest-loss 80%');
    expect(split.train).toHaveLength(48);
    const lowest = [...x.keys()].sort((a, b) => x[a]! - x[b]!).slice(0, 12).sort((a, b) => a - b);
    expect(split.test).toEqual(lowest);
    const partly = buildStudy({ id: 'partly', corpus: ['a', 'a', 'a', 'a', 'a', 'a', 'a'], loss: { v: [7, 6, 5, 4, 3, 2, 1] }, params: [1e8, 1e8, 1e8, 1e8, 1e8, 1e8, Number.NaN], tasks: [] });
    expect(splitModels(partly, [7, 6, 5, 4, 3, 2, 1])).toEqual({ rule: 'highest-loss 80%', train: [0, 1, 2, 3, 4, 5], test: [6] });
    // Too few small models to fit: fall back as well.
    const fewSmall = buildStudy({ id: 'few', corpus: ['a', 'a', 'a', 'a', 'a', 'a'], loss: { v: [6, 5, 4, 3, 2, 1] }, params: [1e8, 1e8, 2e9, 2e9, 2e9, 2e9], tasks: [] });
    expect(splitModels(fewSmall, [6, 5, 4, 3, 2, 1]).rule).toBe('highest-loss 80%');
  });

  it('uses the first-difference noise over all models when the item count is unknown', () => {
    const result = extrapolation(buildDataset(study(false, null)), config);
    const row = result.rows.find((r) => r.task === 'kinked')!;
    const order = [...x.keys()].sort((a, b) => x[a]! - x[b]!);
    expect(row.noise).toBeCloseTo(differenceNoise(order.map((i) => kinked[i]!)), 12);
  });

  it('summarises the median per behaviour, per study and pooled', () => {
    const base = { study: 's', task: 't', xSet: 'v', split: 'x', nTrain: 10, nTest: 2, rmse: 0, noise: 1, meanAbsError: 0, bias: 0, withinTwoNoiseShare: 1, trainRmse: 1, rmseOverTrainRmse: 1, beyondRangeShare: 1, maxAbsError: 0 };
    const summary = summarise([
      { ...base, behaviour: 'predictable', rmseOverNoise: 1 },
      { ...base, behaviour: 'predictable', rmseOverNoise: 3 },
      { ...base, behaviour: 'predictable', rmseOverNoise: 10 },
      { ...base, behaviour: 'noisy', rmseOverNoise: 4 },
    ]);
    expect(summary.filter((s) => s.study === 'all').map((s) => [s.behaviour, s.tasks, s.medianRmseOverNoise])).toEqual([
      ['predictable', 3, 3],
      ['noisy', 1, 4],
    ]);
  });

  it('compares predictable tasks with the rest within each study, never across studies, with an exact Mann–Whitney p', () => {
    const base = { task: 't', xSet: 'v', split: 'x', nTrain: 10, nTest: 2, rmse: 0, noise: 1, meanAbsError: 0, bias: 0, withinTwoNoiseShare: 1, trainRmse: 1, rmseOverTrainRmse: 1, beyondRangeShare: 1, maxAbsError: 0 };
    const rows = [
      // Study a: predictable 1, 2, 3 against trendless 4, 5, 6: fully separated, exact p = 2/C(6,3) = 0.1.
      ...[1, 2, 3].map((v) => ({ ...base, study: 'a', behaviour: 'predictable' as const, rmseOverNoise: v })),
      ...[4, 5, 6].map((v) => ({ ...base, study: 'a', behaviour: 'trendless' as const, rmseOverNoise: v })),
      // Study b: only breakthrough tasks, with huge errors; pooling would make study a's predictable tasks look good.
      ...[50, 60].map((v) => ({ ...base, study: 'b', behaviour: 'breakthrough' as const, rmseOverNoise: v })),
    ];
    const comparisons = compareWithinStudies(rows);
    expect(comparisons.map((c) => [c.study, c.groupB, c.nA, c.nB, c.medianA, c.medianB, c.u, c.pValue, c.method])).toEqual([
      ['a', 'rest', 3, 3, 2, 5, 0, 0.1, 'exact'],
      ['a', 'trendless', 3, 3, 2, 5, 0, 0.1, 'exact'],
    ]);
  });

  it('writes the CSVs and a section that reads its numbers from them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsa-extrapolation-'));
    dirs.push(dir);
    writeExtrapolation(dir, extrapolation(buildDataset(study(true)), config));
    const reader = createOutputsReader(dir);
    const rows = reader.csv('extrapolation.csv');
    expect(readFileSync(join(dir, 'extrapolation-tests.csv'), 'utf8').split('\n')[0]).toBe('study,group_a,group_b,n_a,n_b,median_rmse_over_noise_a,median_rmse_over_noise_b,u,p_value,method');
    for (const column of ['study', 'task', 'behaviour', 'n_train', 'n_test', 'rmse', 'noise', 'rmse_over_noise', 'mean_abs_error', 'within_2_noise_share']) expect(Object.keys(rows[0]!)).toContain(column);
    const kinkedRatio = Number(rows.find((r) => r.task === 'kinked')!.rmse_over_noise);
    const section = extrapolationSection(reader)!;
    const text = section.summary.join('\n');
    expect(text).toContain(`params below 1e9 on ${escapeMarkdown('c4_val')}, ${N - heldOut} models fitted, ${heldOut} held out`);
    expect(text).toContain('and 1 of 2 stay within 2');
    expect(text).toContain(`synthetic kinked (${kinkedRatio.toFixed(1)} noise units`);
    expect(section.charts).toHaveLength(1);
  });
});
