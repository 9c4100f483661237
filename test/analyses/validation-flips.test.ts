/**
 * Validation-set flips on synthetic data with a known answer. Every model has a latent capability c;
 * task error follows the exponential in c. Validation set 1 (c4_val) reads rpj models δ worse than
 * their capability, set 2 (paloma_100_pl) reads c4_original models δ worse. At matched loss on set
 * 1, rpj models are therefore better (lower error); on set 2, c4_original models are: a reversal.
 * A flat task has nothing to reverse. With δ = 0 nothing differs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PAPER_CASES, validationFlips, writeValidationFlips, type FlipComparison } from '../../pipeline/analyses/validation-flips.ts';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { createOutputsReader } from '../../pipeline/report/outputs-reader.ts';
import { validationFlipsSection } from '../../pipeline/report/sections/validation-flips.ts';
import { buildDataset, buildStudy, curve, normalSource, uniformSource } from './build.ts';

const config = loadConfig();
const N = 40;

function flipsDataset(delta: number, seed = 7, thirdSet = false) {
  const uniform = uniformSource(seed);
  const normal = normalSource(seed + 1);
  const corpus = Array.from({ length: 2 * N }, (_, i) => (i < N ? 'c4_original' : 'rpj'));
  const capability = corpus.map(() => 2.6 + 1.8 * uniform());
  const truth = curve();
  return buildDataset(
    buildStudy({
      id: 'gadre2024',
      corpus,
      loss: {
        c4_val: capability.map((c, i) => c + (corpus[i] === 'rpj' ? delta : 0)),
        paloma_100_pl: capability.map((c, i) => c + (corpus[i] === 'c4_original' ? delta : 0)),
        // A third set that reads like c4_val: the one coqa case then reverses in two pairs of sets.
        ...(thirdSet ? { openlm_val: capability.map((c, i) => c + (corpus[i] === 'rpj' ? delta : 0) + 0.01) } : {}),
      },
      tasks: [
        { id: 'coqa', items: 8000, error: capability.map((c) => truth(c) + 0.005 * normal()) },
        { id: 'hellaswag', items: 10000, error: capability.map(() => 0.5 + 0.005 * normal()) },
      ],
    }),
  );
}

const find = (rows: FlipComparison[], task: string, xSet: string): FlipComparison => rows.find((r) => r.task === task && r.xSet === xSet && r.corpusA === 'c4_original' && r.corpusB === 'rpj')!;

describe('validation-set flips', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('finds exactly the planted reversal, with the right better corpus under each set', () => {
    const result = validationFlips(flipsDataset(0.3), config);
    expect(result.comparisons).toHaveLength(2 * 2); // 2 tasks × 1 corpus pair × 2 sets
    const set1 = find(result.comparisons, 'coqa', 'c4_val');
    const set2 = find(result.comparisons, 'coqa', 'paloma_100_pl');
    expect(set1.better).toBe('rpj');
    expect(set1.difference).toBeGreaterThan(0.02); // c4_original's residuals sit above rpj's
    expect(set1.pFdr).toBeLessThan(1e-6);
    // The pair-local curve agrees on the direction.
    expect(set1.localDifference).toBeGreaterThan(0.02);
    expect(set1.localStatistic).toBeGreaterThan(3);
    expect(set2.better).toBe('c4_original');
    expect(set2.difference).toBeLessThan(-0.02);
    expect(set2.betterFwer).toBe('c4_original');
    for (const xSet of ['c4_val', 'paloma_100_pl']) expect(find(result.comparisons, 'hellaswag', xSet).better).toBe('none');
    expect(result.reversals).toEqual([
      { study: 'gadre2024', xSetA: 'c4_val', xSetB: 'paloma_100_pl', comparisons: 2, bothSignificant: 1, reversals: 1, cases: ['coqa:c4_original/rpj'], bothSignificantFwer: 1, reversalsFwer: 1 },
    ]);
  });

  it('counts one (task, corpus pair) case once however many pairs of validation sets it reverses in', () => {
    const result = validationFlips(flipsDataset(0.3, 7, true), config);
    // Three sets make three pairs; coqa reverses between paloma_100_pl and each of the other two.
    expect(result.reversals.map((r) => r.reversals).reduce((a, b) => a + b, 0)).toBe(2);
    expect(result.cases).toEqual([
      { study: 'gadre2024', task: 'coqa', corpusA: 'c4_original', corpusB: 'rpj', pairsTested: 3, pairsReversed: 2, pairsReversedFwer: 2, reversedPairs: ['c4_val/paloma_100_pl', 'paloma_100_pl/openlm_val'] },
    ]);
    expect(validationFlips(flipsDataset(0), config).cases).toEqual([]);
  });

  it('finds no better corpus and no reversal without an offset', () => {
    const result = validationFlips(flipsDataset(0), config);
    for (const row of result.comparisons) expect(row.better).toBe('none');
    expect(result.reversals[0]).toMatchObject({ comparisons: 2, bothSignificant: 0, reversals: 0 });
  });

  it('compares only models inside the loss range both corpora cover', () => {
    const dataset = flipsDataset(0.3);
    const table = dataset.studies[0]!.models;
    const x = table.loss.get('c4_val')!;
    const range = (corpus: string) => {
      const xs = [...x].filter((_, i) => table.corpus[i] === corpus);
      return [Math.min(...xs), Math.max(...xs)] as const;
    };
    const [loA, hiA] = range('c4_original');
    const [loB, hiB] = range('rpj');
    const inside = (corpus: string) => [...x].filter((v, i) => table.corpus[i] === corpus && v >= Math.max(loA, loB) && v <= Math.min(hiA, hiB)).length;
    const row = find(validationFlips(dataset, config).comparisons, 'coqa', 'c4_val');
    expect(row.nA).toBe(inside('c4_original'));
    expect(row.nB).toBe(inside('rpj'));
    expect(row.nA).toBeLessThan(N); // the offset pushes some c4_original models below rpj's range
  });

  it('uses only models with the loss and the score (empty cells are not evaluated) and leaves out corpora too small to test', () => {
    const full = flipsDataset(0.3);
    const study = full.studies[0]!;
    const table = study.models;
    // Every fifth model has no loss on c4_val and every seventh no coqa score; one extra corpus has a single model.
    const c4 = Float64Array.from(table.loss.get('c4_val')!, (v, i) => (i % 5 === 0 ? Number.NaN : v));
    const coqa = Float64Array.from(table.error.get('coqa')!, (v, i) => (i % 7 === 0 ? Number.NaN : v));
    const ragged = buildDataset(
      buildStudy({
        id: 'gadre2024',
        corpus: [...table.corpus.slice(0, -1), 'lonely'],
        loss: { c4_val: c4, paloma_100_pl: table.loss.get('paloma_100_pl')! },
        tasks: [
          { id: 'coqa', items: 8000, error: coqa },
          { id: 'hellaswag', items: 10000, error: table.error.get('hellaswag')! },
        ],
      }),
    );
    const result = validationFlips(ragged, config);
    expect(result.comparisons.every((c) => c.corpusA !== 'lonely' && c.corpusB !== 'lonely')).toBe(true);
    expect(result.comparisons).toHaveLength(2 * 2);
    const row = find(result.comparisons, 'coqa', 'c4_val');
    const known = (i: number): boolean => i % 5 !== 0 && i % 7 !== 0;
    expect(row.nA + row.nB).toBeLessThanOrEqual([...c4].filter((_, i) => known(i)).length);
    expect(Number.isFinite(row.pValue)).toBe(true);
    expect(row.better).toBe('rpj');
    for (const point of result.points) expect(Number.isFinite(point.x) && Number.isFinite(point.error)).toBe(true);
  });

  it('skips a study with one corpus and tags the paper cases', () => {
    const result = validationFlips(flipsDataset(0.3), config);
    expect(find(result.comparisons, 'coqa', 'c4_val').paperCase).toBe(PAPER_CASES.find((c) => c.task === 'coqa')!.label);
    expect(result.points.filter((p) => p.task === 'coqa')).toHaveLength(2 * 2 * N);
    const single = buildDataset(buildStudy({ id: 'solo', corpus: ['a', 'a', 'a'], loss: { v: [1, 2, 3] }, tasks: [{ id: 't', error: [0.3, 0.4, 0.5] }] }));
    expect(validationFlips(single, config).comparisons).toEqual([]);
  });

  it('writes the CSVs and a section whose numbers come from them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsa-flips-'));
    dirs.push(dir);
    const files = writeValidationFlips(dir, validationFlips(flipsDataset(0.3), config));
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['validation-flips.csv', 'validation-flips-summary.csv', 'validation-flips-points.csv', 'validation-flips-cases.csv']);
    expect(createOutputsReader(dir).csv('validation-flips-cases.csv')).toEqual([
      { study: 'gadre2024', task: 'coqa', corpus_a: 'c4_original', corpus_b: 'rpj', set_pairs_tested: '1', set_pairs_reversed: '1', set_pairs_reversed_fwer: '1', reversed_set_pairs: 'c4_val/paloma_100_pl' },
    ]);
    const reader = createOutputsReader(dir);
    const rows = reader.csv('validation-flips.csv');
    for (const column of ['study', 'task', 'corpus_a', 'corpus_b', 'x_set', 'n_a', 'n_b', 'difference', 'statistic', 'p_value', 'better']) expect(Object.keys(rows[0]!)).toContain(column);
    expect(reader.csv('validation-flips-summary.csv')[0]).toMatchObject({ x_set_a: 'c4_val', x_set_b: 'paloma_100_pl', comparisons: '2', reversals: '1' });
    const section = validationFlipsSection(reader)!;
    const text = section.summary.join('\n');
    expect(text).toContain('reverses 1 time ');
    expect(text).toContain('1 distinct (task, corpus pair) case (1 under the family-wise correction)');
    expect(text).toContain('2 of the 2 declared differences keep their direction');
    expect(text).toMatch(/CoQA[^\n]*the better corpus reverses\. This is what the paper reports/);
    expect(text).toMatch(/HellaSwag[^\n]*no corpus is significantly better under either set\. This is not what the paper reports/);
    expect(section.charts.map((c) => c.id)).toEqual(['validation-flips-hellaswag', 'validation-flips-coqa', 'validation-flips-heatmap-gadre2024']);
    expect(section.methods.join(' ')).toContain('Benjamini–Hochberg');
  });
});
