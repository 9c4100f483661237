/**
 * The fit stage on ragged data: each task is fitted on the rows that have it, a task below the
 * sufficiency rule (too few points, too few runs, constant x) is listed with its reason and never
 * fitted, and the headline axis follows claims → declared x → configured set → first axis.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { fitCurveSet, headlineAxis, insufficiencyReason, runIds } from '../../pipeline/fit/fit-stage.ts';
import { lossAxis } from '../../pipeline/normalize/normalize.ts';
import { datasetOf, predictableTruth, syntheticStudy } from '../helpers/synthetic-study.ts';

const config = loadConfig();

function raggedStudy() {
  const study = syntheticStudy([
    { id: 'full', truth: predictableTruth, items: 3000 },
    { id: 'half', truth: predictableTruth, items: 3000 },
    { id: 'few', truth: predictableTruth, items: 3000 },
    { id: 'flat_x', truth: predictableTruth, items: 3000 },
  ]);
  const table = study.usable;
  const n = table.ids.length;
  // 'half': every other model not evaluated; 'few': only 5 models evaluated.
  const half = table.error.get('half')!;
  for (let i = 0; i < n; i += 2) half[i] = Number.NaN;
  const few = table.error.get('few')!;
  for (let i = 5; i < n; i++) few[i] = Number.NaN;
  return study;
}

describe('fit stage', () => {
  it('fits each task on the rows that have it and lists the rest as insufficient data with a reason', () => {
    const study = raggedStudy();
    const set = fitCurveSet(study, study.axes[0]!, config);
    expect(set.curves.map((c) => [c.task.id, c.nPoints, c.nRuns])).toEqual([
      ['full', 90, 90],
      ['half', 45, 45],
      ['flat_x', 90, 90],
    ]);
    expect(set.insufficient).toEqual([expect.objectContaining({ nPoints: 5, nRuns: 5, reason: expect.stringContaining('5 points') })]);
    expect(set.insufficient[0]!.task.id).toBe('few');
    // The fit of 'half' is the fit on its 45 models alone.
    expect(set.curves[1]!.analysis.fit.n).toBe(45);
  });

  it('counts runs, not rows, and refuses a constant x', () => {
    expect(insufficiencyReason(100, 2, 100, { minPoints: 8, minRuns: 3 })).toMatch(/2 runs/);
    expect(insufficiencyReason(100, 5, 1, { minPoints: 8, minRuns: 3 })).toMatch(/single value/);
    expect(insufficiencyReason(100, 5, 2, { minPoints: 8, minRuns: 3 })).toMatch(/only 2 distinct values on these 100 points; the rule needs at least 8/);
    expect(insufficiencyReason(8, 3, 8, { minPoints: 8, minRuns: 3 })).toBeUndefined();
    const study = raggedStudy();
    const table = study.usable;
    // Three runs of 30 checkpoints each.
    table.run = table.ids.map((_, i) => `r${i % 3}`);
    expect(runIds(table).count).toBe(3);
    const strict = { ...config, sufficiency: { ...config.sufficiency, minRuns: 4 } };
    const set = fitCurveSet(study, study.axes[0]!, strict);
    expect(set.curves).toHaveLength(0);
    expect(set.insufficient.filter((t) => t.task.id !== 'few').map((t) => t.reason)).toEqual(new Array(3).fill('3 runs with x and error known; the rule needs at least 4'));
    // Constant x: every task with enough points and runs is excluded with that reason, none is classified.
    table.run = table.ids.map(() => null);
    table.axes.set(study.axes[0]!.id, new Float64Array(table.ids.length).fill(3));
    const flat = fitCurveSet(study, study.axes[0]!, config);
    expect(flat.curves).toHaveLength(0);
    expect(flat.insufficient.filter((t) => t.task.id !== 'few').map((t) => t.reason)).toEqual(new Array(3).fill('x takes a single value on these points, so no curve can be fitted'));
  });

  it('takes the headline x from claims, then the declared x, then the configured set, then the first axis', () => {
    const study = raggedStudy();
    const dataset = datasetOf(study);
    // No claims, no declared x: the configured canonical set (val_good is c4-validation).
    expect(headlineAxis(dataset, study, config)!.id).toBe('loss:val_good');
    expect(headlineAxis(dataset, study, { ...config, x: { canonical: 'none' } })!.id).toBe(study.axes[0]!.id);
    const declared = { ...study, declaredAxis: lossAxis(study.validationSets[1]!) };
    expect(headlineAxis(datasetOf(declared), declared, config)!.id).toBe('loss:val_shuffled');
    const claimed = { ...datasetOf(declared), claimSets: [{ id: 'c', metadata: study.metadata, files: [], claims: { about: 'synthetic', x: 'val_good' } as never }] };
    expect(headlineAxis(claimed, declared, config)!.id).toBe('loss:val_good');
  });
});
