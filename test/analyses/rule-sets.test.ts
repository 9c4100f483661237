/** Rule sets side by side and the joint threshold grid, on synthetic features with known answers. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClaimComparison, StudySummary } from '../../pipeline/aggregate/aggregate-stage.ts';
import { FEATURES_PER_ROW } from '../../pipeline/aggregate/bootstrap.ts';
import { jointRange, jointSensitivity, writeJointSensitivity } from '../../pipeline/analyses/joint-sensitivity.ts';
import { compareRuleSets, writeRuleSets } from '../../pipeline/analyses/rule-sets.ts';
import { loadConfig, type Rule } from '../../pipeline/config/analysis-config.ts';
import { calibrationGrid, withThresholds } from '../../pipeline/classify/calibrate.ts';
import { grid } from '../../pipeline/classify/threshold-grid.ts';
import { classify } from '../../pipeline/classify/rules.ts';
import { mulberry32 } from '../../pipeline/stats/random.ts';
import { packFeatures, type TaskFeatures } from '../../pipeline/fit/features.ts';
import { loadRuleSets, type RuleSet } from '../../pipeline/classify/rule-sets.ts';
import type { Behaviour } from '../../pipeline/ingest/types.ts';
import { createOutputsReader } from '../../pipeline/report/outputs-reader.ts';
import { jointSensitivitySection } from '../../pipeline/report/sections/joint-sensitivity.ts';
import { ruleSetsSection } from '../../pipeline/report/sections/rule-sets.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-rule-sets-'));
  dirs.push(dir);
  return dir;
};

function features(r2: number): TaskFeatures {
  return { r2, trendT: 10, absTrendT: 10, trendSize: 10, reversalZ: 0, curvature: 5, shapeGap: 0, scatterOverNoise: 1, shapeGapOverNoise: 0, noise: 0.01 };
}

/** A study summary whose tasks have these R² values; every bootstrap replicate repeats the fits. */
function summary(r2s: number[], replicates = 3): StudySummary {
  const values = new Float64Array(replicates * r2s.length * FEATURES_PER_ROW);
  for (let r = 0; r < replicates; r++) r2s.forEach((r2, t) => packFeatures(features(r2), values, (r * r2s.length + t) * FEATURES_PER_ROW));
  const curves = r2s.map((r2, t) => ({ task: { id: `t${t}` }, analysis: { features: features(r2) } }));
  return { study: 'synth', set: { curves }, replicates: { values, replicates, tasks: r2s.length } } as unknown as StudySummary;
}

function comparison(s: StudySummary, labels: Behaviour[]): ClaimComparison {
  return { summary: s, claims: { claims: { labels: labels.map((behaviour, t) => ({ task: `t${t}`, behaviour })) } } } as unknown as ClaimComparison;
}

const noisyBelow = (cut: number, sweep?: number[]): Rule[] => [
  { behaviour: 'noisy', match: 'all', conditions: [{ feature: 'r2', op: '<', threshold: cut, ...(sweep ? { sweep } : {}) }], why: 'test' },
  { behaviour: 'predictable', match: 'all', conditions: [], why: 'test' },
];

describe('rule sets side by side', () => {
  const sets: RuleSet[] = [
    { id: 'calibrated', name: 'calibrated', origin: 'calibrated', description: 'd', rules: noisyBelow(0.5) },
    { id: 'strict', name: 'strict', origin: 'a priori', description: 'd', rules: noisyBelow(0.85) },
  ];

  it('counts predictable tasks and agreement with the published labels for each set', () => {
    const s = summary([0.3, 0.6, 0.9, 0.95]);
    const result = compareRuleSets([s], [comparison(s, ['noisy', 'noisy', 'predictable', 'predictable'])], sets);
    expect(result.rows.map((r) => [r.ruleSet, r.predictable, r.total, r.agreeBinary, r.agreeSixWay, r.modelsLow, r.modelsHigh])).toEqual([
      ['calibrated', 3, 4, 3, 3, 3, 3],
      ['strict', 2, 4, 4, 4, 2, 2],
    ]);
    expect(result.tasks.map((t) => [t.task, t.published, t.labels.calibrated, t.labels.strict])).toEqual([
      ['t0', 'noisy', 'noisy', 'noisy'],
      ['t1', 'noisy', 'predictable', 'noisy'],
      ['t2', 'predictable', 'predictable', 'predictable'],
      ['t3', 'predictable', 'predictable', 'predictable'],
    ]);
  });

  it('writes rule-sets.csv and a section that reads its numbers from it', () => {
    const dir = tempDir();
    const s = summary([0.3, 0.6, 0.9, 0.95]);
    writeRuleSets(dir, compareRuleSets([s], [comparison(s, ['noisy', 'noisy', 'predictable', 'predictable'])], sets));
    const rows = createOutputsReader(dir).csv('rule-sets.csv');
    expect(rows.map((r) => [r.rule_set, r.predictable, r.fraction, r.agree_binary, r.tasks_ci_low])).toEqual([
      ['calibrated', '3', '0.75', '3', '0.3006'],
      ['strict', '2', '0.5', '4', '0.15'],
    ]);
    const section = ruleSetsSection(createOutputsReader(dir))!;
    expect(section.summary[0]).toContain('Calibrated rules: 3 of 4 (75.0%');
    expect(section.summary[0]).toContain('the count ranges from 2 to 3 of 4');
    expect(section.charts).toHaveLength(1);
  });

  it('leaves agreement empty for a study without published labels', () => {
    const result = compareRuleSets([summary([0.3, 0.9])], [], sets);
    expect(result.rows[0]!.labelled).toBe(0);
    expect(result.rows[0]!.agreeBinary).toBeNaN();
  });

  it('loads the committed rule sets: a-priori, strict and lenient, with a note that they were not tuned on the labels', () => {
    const file = loadRuleSets();
    expect(file.sets.map((s) => s.id)).toEqual(expect.arrayContaining(['a-priori', 'strict', 'lenient']));
    expect(file.note).toMatch(/NOT tuned on the published labels/);
    for (const set of file.sets) expect(set.rules[set.rules.length - 1]!.conditions).toEqual([]);
  });

  it('refuses a rule set whose rules are not the analysis-config form, naming the file and the field', () => {
    const path = join(tempDir(), 'rule-sets.json');
    writeFileSync(path, JSON.stringify({ version: '1.0.0', note: 'n', sets: [{ id: 'x', name: 'x', origin: 'a priori', description: 'd', rules: [{ behaviour: 'predictable', match: 'all', conditions: [{ feature: 'colour', op: '<', threshold: 1 }], why: 'w' }] }] }));
    expect(() => loadRuleSets(path)).toThrow(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: /sets/0/rules/0/conditions/0/feature`));
  });
});

describe('joint threshold grid', () => {
  it('gives the distribution of the predictable count over every combination of thresholds', () => {
    // R² 0.1, 0.3, 0.5, 0.7, 0.9 with noisy below 0.2, 0.4, 0.6 or 0.8: 4, 3, 2, 1 predictable.
    const rows = jointSensitivity([summary([0.1, 0.3, 0.5, 0.7, 0.9])], noisyBelow(0.4, [0.2, 0.4, 0.6, 0.8]));
    expect(rows.map((r) => [r.predictable, r.gridPoints, r.gridSize])).toEqual([
      [1, 1, 4],
      [2, 1, 4],
      [3, 1, 4],
      [4, 1, 4],
    ]);
    expect(jointRange(rows, 'synth')).toMatchObject({ min: 1, max: 4, total: 5, gridSize: 4 });
    const dir = tempDir();
    writeJointSensitivity(dir, rows);
    expect(readFileSync(join(dir, 'joint-sensitivity.csv'), 'utf8').split('\n')[1]).toBe('synth,1,5,0.2,1,4,0.25');
    const section = jointSensitivitySection(createOutputsReader(dir))!;
    expect(section.summary[0]).toContain('runs from 1 to 4 of 5 (20.0% to 80.0%)');
    expect(section.charts).toHaveLength(1);
  });

  it('counts exactly what classify gives at every grid point, for the configured rules', () => {
    const rules = loadConfig().rules;
    const random = mulberry32(11);
    // Features spread around the configured thresholds (and NaN curvature, as a straight line has).
    const spread = (): TaskFeatures => {
      const t = (random() - 0.3) * 12;
      return { r2: random(), trendT: t, absTrendT: Math.abs(t), trendSize: random() * 4, reversalZ: random() * 6, curvature: random() < 0.1 ? Number.NaN : random() * 5, shapeGap: random() * 0.3, scatterOverNoise: 1, shapeGapOverNoise: random() * 2, noise: 0.01 };
    };
    const tasks = Array.from({ length: 40 }, spread);
    const study = { study: 'synth', set: { curves: tasks.map((f, t) => ({ task: { id: `t${t}` }, analysis: { features: f } })) } } as unknown as StudySummary;
    const swept = calibrationGrid(rules);
    const expected = new Map<number, number>();
    for (const point of grid(swept)) {
      const at = withThresholds(rules, Object.fromEntries(swept.map((s, i) => [s.key, s.values[point[i]!]!])));
      const count = tasks.filter((f) => classify(f, at).behaviour === 'predictable').length;
      expected.set(count, (expected.get(count) ?? 0) + 1);
    }
    const rows = jointSensitivity([study], rules);
    expect(rows.map((r) => [r.predictable, r.gridPoints])).toEqual([...expected].sort((a, b) => a[0] - b[0]));
    expect(rows.length).toBeGreaterThan(3);
  });
});
