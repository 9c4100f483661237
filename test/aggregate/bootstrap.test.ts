import { describe, expect, it } from 'vitest';
import { bootstrapFeatures, classifyReplicates, FEATURES_PER_ROW, groupRuns, packedClassifier, replicateSeed, STATUS_INSUFFICIENT, type BootstrapJob } from '../../pipeline/aggregate/bootstrap.ts';
import { sweptConditions, withThresholds } from '../../pipeline/classify/calibrate.ts';
import { classify } from '../../pipeline/classify/rules.ts';
import { analyseSortedCurve, FEATURE_NAMES, packFeatures, sortOrder } from '../../pipeline/fit/features.ts';
import { mulberry32 } from '../../pipeline/stats/random.ts';
import { runBootstrapJobs } from '../../pipeline/aggregate/bootstrap-pool.ts';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
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

  it('draws exactly what the model bootstrap drew when every row is its own run (gadre-style data)', () => {
    // The model bootstrap as it was before runs existed: n models drawn with replacement, one draw for every task.
    const legacy = (j: BootstrapJob): Float64Array => {
      const n = j.x.length;
      const values = new Float64Array(j.replicates * j.tasks.length * FEATURE_NAMES.length);
      for (let r = 0; r < j.replicates; r++) {
        const random = mulberry32(replicateSeed(j.seed, r));
        const draw = Int32Array.from({ length: n }, () => Math.floor(random() * n));
        const drawnX = Float64Array.from(draw, (i) => j.x[i]!);
        const order = sortOrder(drawnX);
        const xs = Float64Array.from(order, (i) => drawnX[i]!);
        for (let t = 0; t < j.tasks.length; t++) {
          const ys = Float64Array.from(order, (i) => j.errors[t]![draw[i]!]!);
          packFeatures(analyseSortedCurve(xs, ys, j.tasks[t]!, j.options).features, values, (r * j.tasks.length + t) * FEATURE_NAMES.length);
        }
      }
      return values;
    };
    const singleton = groupRuns(Int32Array.from(job(1).x, (_, i) => i), job(1).x.length);
    for (const current of [job(25), { ...job(25), ...singleton, sufficiency: { minPoints: 8, minRuns: 3 } }]) {
      const now = bootstrapFeatures(current);
      const before = legacy(current);
      const rows = 25 * 2;
      const features = new Float64Array(rows * FEATURE_NAMES.length);
      for (let row = 0; row < rows; row++) {
        features.set(now.subarray(row * FEATURES_PER_ROW, row * FEATURES_PER_ROW + FEATURE_NAMES.length), row * FEATURE_NAMES.length);
        expect(now[row * FEATURES_PER_ROW + FEATURE_NAMES.length]).toBe(0);
      }
      expect(features).toEqual(before);
    }
  });

  it('draws whole runs: every replicate holds complete runs, and a task is fitted only where it was evaluated', () => {
    // 6 runs × 10 checkpoints; x identifies the run (run r has x in [r, r + 1)), so the drawn runs can be read back from x.
    const runs = 6;
    const per = 10;
    const n = runs * per;
    const x = Float64Array.from({ length: n }, (_, i) => Math.floor(i / per) + (i % per) / per);
    const y = x.map((v) => 0.8 - 0.05 * v);
    // A second task not evaluated on run 0.
    const ragged = y.map((v, i) => (i < per ? Number.NaN : v));
    const { runStart, runRows } = groupRuns(Int32Array.from({ length: n }, (_, i) => Math.floor(i / per)), runs);
    const options = featureOptions(config);
    const base: BootstrapJob = { x, errors: [y, ragged], tasks: [{ items: 1000 }, { items: 1000 }], runStart, runRows, options, replicates: 40, seed: 3 };
    // Replay the draws: the first task's n_points must be a multiple of `per` and its x range must span the drawn runs.
    for (let r = 0; r < 40; r++) {
      const random = mulberry32(replicateSeed(3, r));
      const picked = Array.from({ length: runs }, () => Math.floor(random() * runs));
      // Features are a pure function of the drawn points: recompute them from the whole runs drawn.
      const xs = Float64Array.from(picked.flatMap((run) => Array.from({ length: per }, (_, k) => run + k / per))).sort();
      const expected = analyseSortedCurve(xs, xs.map((v) => 0.8 - 0.05 * v), { items: 1000 }, options).features;
      const values = bootstrapFeatures(base, r, r + 1);
      FEATURE_NAMES.forEach((name, f) => expect(values[f]).toBe(expected[name]));
    }
    // With a sufficiency rule of 4 distinct runs, replicates drawing fewer distinct runs are marked, not fitted.
    const strict = bootstrapFeatures({ ...base, sufficiency: { minPoints: 8, minRuns: 4 } });
    const labels = classifyReplicates({ replicates: 40, tasks: 2, values: strict }, config.rules);
    for (let r = 0; r < 40; r++) {
      const random = mulberry32(replicateSeed(3, r));
      const distinct = new Set(Array.from({ length: runs }, () => Math.floor(random() * runs))).size;
      expect(strict[r * 2 * FEATURES_PER_ROW + FEATURE_NAMES.length] === STATUS_INSUFFICIENT).toBe(distinct < 4);
    }
    const total = (t: number) => Object.values(labels.behaviourCounts[t]!).reduce((a, b) => a + b, 0) + labels.insufficient[t]!;
    expect(total(0)).toBe(40);
    expect(total(1)).toBe(40);
    expect(labels.insufficient[1]!).toBeGreaterThanOrEqual(labels.insufficient[0]!);
  });
});

describe('packedClassifier', () => {
  it('gives the rule classify gives, on packed rows, for the configured rules at swept thresholds', () => {
    const random = mulberry32(3);
    const values = new Float64Array(FEATURES_PER_ROW);
    let compared = 0;
    const seen = new Set<string>();
    for (const swept of sweptConditions(config.rules)) {
      for (const threshold of swept.values) {
        const rules = withThresholds(config.rules, { [swept.key]: threshold });
        const classifyAt = packedClassifier(rules);
        for (let i = 0; i < 200; i++) {
          const t = (random() - 0.3) * 12;
          const features = { r2: random(), trendT: t, absTrendT: Math.abs(t), trendSize: random() * 4, reversalZ: random() * 6, curvature: random() < 0.1 ? Number.NaN : random() * 5, shapeGap: random() * 0.3, scatterOverNoise: 1, shapeGapOverNoise: random() * 2, noise: 0.01 };
          packFeatures(features, values, 0);
          const expected = classify(features, rules).rule;
          expect(classifyAt(values, 0)).toBe(expected);
          seen.add(rules[expected]!.behaviour);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
    // Every behaviour comes up, so every rule's path is compared.
    expect(seen.size).toBe(6);
  });
});
