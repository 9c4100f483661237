/**
 * The bootstrap job cache: a job whose inputs and code version are unchanged is read from the cache
 * with exactly the features computing it gives; a job that differs in any input is computed.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bootstrapFeatures, type BootstrapJob } from '../../pipeline/aggregate/bootstrap.ts';
import { runBootstrapJobs, useBootstrapJobCache } from '../../pipeline/aggregate/bootstrap-pool.ts';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { featureOptions } from '../../pipeline/fit/fit-stage.ts';
import { openContentCache } from '../../pipeline/util/content-cache.ts';
import { syntheticCurve } from '../helpers/synthetic.ts';
import { makeTempDir, removeTempDirs } from '../helpers/registry.ts';

afterEach(() => useBootstrapJobCache(undefined));
afterAll(removeTempDirs);

const config = loadConfig();
const predictable = syntheticCurve('predictable', 1);
const trendless = syntheticCurve('trendless', 2, predictable.x.length);

function job(errors: Float64Array[], seed = 42): BootstrapJob {
  return { x: predictable.x, errors, tasks: errors.map(() => ({ items: predictable.items })), options: featureOptions(config), replicates: 30, seed };
}

describe('the bootstrap job cache', () => {
  it('reads an unchanged job with the features computing it gives, and computes one that changed', async () => {
    const dir = join(makeTempDir('bootstrap-cache-'), 'bootstrap');
    const jobs = [job([predictable.y, trendless.y]), job([trendless.y])];
    const run = async (these: BootstrapJob[]) => {
      const cache = openContentCache(dir, 'code', '.f64');
      useBootstrapJobCache(cache);
      let computed = 0;
      const features = await runBootstrapJobs(these, (done) => (computed = done));
      return { features, computed, counts: cache.finish() };
    };
    const first = await run(jobs);
    expect(first.counts).toEqual({ reused: 0, stored: 2 });
    const second = await run(jobs);
    expect(second.counts).toEqual({ reused: 2, stored: 0 });
    expect(second.computed).toBe(0);
    second.features.forEach((features, j) => expect([...features.values]).toEqual([...bootstrapFeatures(jobs[j]!)]));

    // Another seed is another job; the one left unused is removed.
    const third = await run([jobs[0]!, job([trendless.y], 7)]);
    expect(third.counts).toEqual({ reused: 1, stored: 1 });
    expect([...third.features[1]!.values]).toEqual([...bootstrapFeatures(job([trendless.y], 7))]);
    expect(readdirSync(dir)).toHaveLength(2);
  }, 60_000);
});
