import { describe, expect, it } from 'vitest';
import { aggregateStage } from '../../pipeline/aggregate/aggregate-stage.ts';
import { sensitivityAnalysis } from '../../pipeline/analyses/sensitivity.ts';
import { labelStability } from '../../pipeline/analyses/stability.ts';
import { classifyStage } from '../../pipeline/classify/classify-stage.ts';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { fitStage } from '../../pipeline/fit/fit-stage.ts';
import { datasetOf, flatTruth, predictableTruth, syntheticStudy } from '../helpers/synthetic-study.ts';

const config = loadConfig();
config.bootstrap.replicates = 40;
config.sensitivity.replicates = 20;
config.sensitivity.studies = 'all';
config.sensitivity.excludeTasks = [{ study: 'synthetic', task: 'clear1', reason: 'test' }];

// Three tasks follow the exponential in val_good's loss, two are flat; val_shuffled breaks every curve.
const study = syntheticStudy([
  { id: 'clear1', truth: predictableTruth, items: 3000 },
  { id: 'clear2', truth: predictableTruth, items: 3000 },
  { id: 'clear3', truth: predictableTruth, items: 3000 },
  { id: 'flat1', truth: flatTruth, items: 500 },
  { id: 'flat2', truth: flatTruth, items: 500 },
]);
const dataset = datasetOf(study);

async function run() {
  const classified = classifyStage(fitStage(dataset, config), config.rules);
  const aggregate = await aggregateStage(dataset, classified, config);
  return { aggregate, rows: await sensitivityAnalysis(dataset, aggregate.summaries, config) };
}

describe('sensitivity analysis on synthetic data', () => {
  it('finds the known answers under each choice', async () => {
    const { aggregate, rows } = await run();
    const summary = aggregate.summaries[0]!;
    expect(summary.set.axis.id).toBe('loss:val_good');
    expect(summary.predictable).toBe(3);
    const find = (choice: string, value: string) => rows.find((r) => r.choice === choice && r.value === value)!;
    // The default row is the headline.
    expect(find('default', 'all default choices')).toMatchObject({ predictable: 3, total: 5, fraction: 0.6, isDefault: true, ciLow: summary.ci95[0], ciHigh: summary.ci95[1] });
    // Loss that no task follows: nothing is predictable.
    expect(find('validation set for x', 'val_shuffled').predictable).toBe(0);
    expect(find('validation set for x', 'val_good').isDefault).toBe(true);
    // Leaving a predictable task out removes it from count and total.
    expect(find('tasks', 'without clear1')).toMatchObject({ predictable: 2, total: 4 });
    // Each corpus alone still shows the three clear curves.
    expect(find('models', 'a only').predictable).toBe(3);
    // Which validation set, separated from pooling: per corpus, val_good keeps the three curves and val_shuffled none.
    expect(find('validation set for x, a models only', 'val_good').predictable).toBe(3);
    expect(find('validation set for x, a models only', 'val_shuffled').predictable).toBe(0);
    expect(find('validation set for x, a models only', 'val_good').total).toBe(5);
    // Demanding R² above 0.8 for predictable cannot add predictable tasks; sweeping never changes the total.
    const r2Rows = rows.filter((r) => r.choice === 'threshold: noisy r2 <');
    expect(r2Rows.length).toBeGreaterThan(2);
    for (const row of r2Rows) expect(row.total).toBe(5);
    expect(Math.max(...r2Rows.map((r) => r.predictable))).toBeLessThanOrEqual(3);
  });

  it('calls the clear curves stable and counts shares over every replicate', async () => {
    const { aggregate } = await run();
    const rows = labelStability(aggregate.summaries, aggregate.comparisons);
    expect(rows).toHaveLength(5);
    for (const row of rows.filter((r) => r.task.startsWith('clear'))) expect(row).toMatchObject({ winner: 'predictable', stable: true });
    for (const row of rows) expect(Object.values(row.shares).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});
