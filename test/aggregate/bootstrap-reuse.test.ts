import { describe, expect, it } from 'vitest';
import { bootstrapFeatures, type BootstrapJob } from '../../pipeline/aggregate/bootstrap.ts';
import { runBootstrapJobsReusing } from '../../pipeline/aggregate/bootstrap-reuse.ts';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { featureOptions } from '../../pipeline/fit/fit-stage.ts';
import { syntheticCurve } from '../helpers/synthetic.ts';

const config = loadConfig();
const predictable = syntheticCurve('predictable', 1);
const trendless = syntheticCurve('trendless', 2, predictable.x.length);
const noisy = syntheticCurve('noisy', 3, predictable.x.length);

function job(replicates: number, errors: Float64Array[], overrides: Partial<BootstrapJob> = {}): BootstrapJob {
  return {
    x: predictable.x,
    errors,
    tasks: errors.map(() => ({ items: predictable.items })),
    options: featureOptions(config),
    replicates,
    seed: 42,
    ...overrides,
  };
}

const scaled = Float64Array.from(trendless.y, (y) => y * 2);

describe('bootstrap reuse', () => {
  it('gives exactly the features of computing every job in full', async () => {
    const headline = job(40, [predictable.y, trendless.y]);
    const known = [{ job: headline, features: { replicates: 40, tasks: 2, values: bootstrapFeatures(headline) } }];
    const jobs = [
      // One task unchanged (copied from the headline), one changed (computed).
      job(25, [predictable.y, scaled], { tasks: [{ items: predictable.items }, { items: predictable.items, errorScale: 2 }] }),
      // Same tasks as the first job: copied from it.
      job(25, [predictable.y, scaled], { tasks: [{ items: predictable.items }, { items: predictable.items, errorScale: 2 }] }),
      // Another seed draws other replicates: nothing copied.
      job(25, [predictable.y, trendless.y], { seed: 7 }),
      // Other fit options: nothing copied.
      job(25, [noisy.y, trendless.y], { options: { ...featureOptions(config), form: 'power' } }),
      // More replicates than the headline has: computed.
      job(60, [trendless.y]),
    ];
    const { features, reusedTasks, computedTasks } = await runBootstrapJobsReusing(jobs, known);
    expect(features.map((f) => f.values)).toEqual(jobs.map((j) => bootstrapFeatures(j)));
    expect(features.map((f) => [f.replicates, f.tasks])).toEqual(jobs.map((j) => [j.replicates, j.tasks.length]));
    expect({ reusedTasks, computedTasks }).toEqual({ reusedTasks: 3, computedTasks: 6 });
  });

  it('computes everything when nothing is known', async () => {
    const jobs = [job(10, [predictable.y]), job(10, [trendless.y])];
    const { features, reusedTasks } = await runBootstrapJobsReusing(jobs, []);
    expect(reusedTasks).toBe(0);
    expect(features.map((f) => f.values)).toEqual(jobs.map((j) => bootstrapFeatures(j)));
  });
});
