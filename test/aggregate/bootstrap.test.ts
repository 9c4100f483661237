import { describe, expect, it } from 'vitest';
import { bootstrapFeatures, classifyReplicates, FEATURES_PER_ROW, replicateSeed, type BootstrapJob } from '../../pipeline/aggregate/bootstrap.ts';
import { runBootstrapJobs } from '../../pipeline/aggregate/bootstrap-pool.ts';
import { loadConfig } from '../../pipeline/classify/config.ts';
import { featureOptions } from '../../pipeline/fit/fit-stage.ts';
import { syntheticCurve } from '../helpers/synthetic.ts';

const config = loadConfig();

function job(replicates: number): BootstrapJob {
  const curves = [syntheticCurve('predictable', 1), syntheticCurve('trendless', 2)];
  // Both tasks share the models, so they share x: take the first curve's x for both.
  const trendless = syntheticCurve('trendless', 2, curves[0]!.x.length);
  return {
    x: curves[0]!.x,
    errors: [curves[0]!.y, trendless.y],
    tasks: [{ items: curves[0]!.items }, { items: trendless.items }],
    options: featureOptions(config),
    replicates,
    seed: 42,
  };
}

describe('bootstrap', () => {
  it('is reproducible and independent of how replicates are split', () => {
    const whole = bootstrapFeatures(job(30));
    const parts = new Float64Array(whole.length);
    parts.set(bootstrapFeatures(job(30), 0, 11), 0);
    parts.set(bootstrapFeatures(job(30), 11, 30), 11 * 2 * FEATURES_PER_ROW);
    expect(parts).toEqual(whole);
    expect(bootstrapFeatures(job(30))).toEqual(whole);
  });

  it('gives the same features on worker threads as on the current thread', async () => {
    const previous = process.env.BOOTSTRAP_WORKERS;
    process.env.BOOTSTRAP_WORKERS = '2';
    try {
      const [pooled] = await runBootstrapJobs([job(250)]);
      expect(pooled!.values).toEqual(bootstrapFeatures(job(250)));
    } finally {
      if (previous === undefined) delete process.env.BOOTSTRAP_WORKERS;
      else process.env.BOOTSTRAP_WORKERS = previous;
    }
  });

  it('mostly keeps a clear curve its label and counts each replicate once', () => {
    const features = { replicates: 50, tasks: 2, values: bootstrapFeatures(job(50)) };
    const labels = classifyReplicates(features, config.rules);
    expect(labels.predictable).toHaveLength(50);
    expect(labels.behaviourCounts[0]!.predictable).toBeGreaterThanOrEqual(45);
    expect(labels.behaviourCounts[1]!.trendless).toBeGreaterThanOrEqual(30);
    expect(labels.behaviourCounts[1]!.predictable).toBeLessThanOrEqual(2);
    const total = Object.values(labels.behaviourCounts[1]!).reduce((a, b) => a + b, 0);
    expect(total).toBe(50);
    // Leaving the predictable task out removes it from every replicate's count.
    expect(classifyReplicates(features, config.rules, [false, true]).predictable.every((count) => count <= 1)).toBe(true);
  });

  it('derives distinct seeds per replicate', () => {
    const seeds = new Set(Array.from({ length: 1000 }, (_, r) => replicateSeed(7, r)));
    expect(seeds.size).toBe(1000);
  });
});
