import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { analyseCurve } from '../../pipeline/fit/features.ts';
import { classify, describeRule } from '../../pipeline/classify/rules.ts';
import { featureOptions } from '../../pipeline/fit/fit-stage.ts';
import { BEHAVIOURS } from '../../pipeline/ingest/types.ts';
import { syntheticCurve } from '../helpers/synthetic.ts';

const config = loadConfig();
const options = featureOptions(config);

describe('classification rules on seeded synthetic curves', () => {
  for (const behaviour of BEHAVIOURS) {
    it(`labels ${behaviour} curves ${behaviour} (5 seeds)`, () => {
      for (let seed = 1; seed <= 5; seed++) {
        const curve = syntheticCurve(behaviour, seed * 7919);
        const { features } = analyseCurve(curve.x, curve.y, { items: curve.items }, options);
        expect({ seed, label: classify(features, config.rules).behaviour }).toEqual({ seed, label: behaviour });
      }
    });
  }

  it('gives every curve exactly one behaviour, from the first rule that holds', () => {
    const curve = syntheticCurve('nonmonotonic', 3);
    const { features } = analyseCurve(curve.x, curve.y, { items: curve.items }, options);
    const result = classify(features, config.rules);
    expect(config.rules[result.rule]!.behaviour).toBe(result.behaviour);
    // Dropping the rule that matched moves the curve to a later rule, never an earlier one.
    const rest = config.rules.filter((_, i) => i !== result.rule);
    expect(classify(features, rest).rule).toBeGreaterThanOrEqual(result.rule);
  });

  it('states every rule in words with its threshold', () => {
    const text = config.rules.map((rule, i) => describeRule(rule, i + 1));
    expect(text[0]).toMatch(/^1\. \*\*nonmonotonic\*\* \(error reverses direction\) when reversal strength \(z\) is at least 3\./);
    expect(text[text.length - 1]).toMatch(/\*\*predictable\*\* \(follows the exponential closely\) otherwise\./);
  });
});

describe('features undefined for a fit form', () => {
  it('a straight line has no curvature (NaN), so the breakthrough rule cannot fire on it', () => {
    const curve = syntheticCurve('predictable', 7919);
    const { features } = analyseCurve(curve.x, curve.y, { items: curve.items }, { ...options, form: 'linear' });
    expect(features.curvature).toBeNaN();
    expect(classify(features, config.rules).behaviour).not.toBe('breakthrough');
    // What the old value 0 did: a bending curve fitted by a line leaves a large shape gap, and
    // "curvature 0 < threshold" made the line a breakthrough.
    expect(features.shapeGap).toBeGreaterThanOrEqual(0.15);
    expect(classify({ ...features, curvature: 0 }, config.rules).behaviour).toBe('breakthrough');
  });
});

describe('features respect sampling noise for tasks with few items', () => {
  // bigbench_novel_concepts (32 items) as the committed fit measures it: its variance is mostly
  // sampling noise, so a free monotone curve gains a large share of it (shapeGap 0.17) while
  // gaining only 0.2 sampling variances per point over the exponential.
  const smallTask = { r2: 0.51, trendT: 10.5, absTrendT: 10.5, trendSize: 3.3, reversalZ: 1.3, curvature: 1.8, shapeGap: 0.165, scatterOverNoise: 0.8, shapeGapOverNoise: 0.2, noise: 0.082 };

  it('a shape gap within sampling noise is not a breakthrough', () => {
    expect(classify(smallTask, config.rules).behaviour).not.toBe('breakthrough');
    expect(classify({ ...smallTask, shapeGapOverNoise: 5 }, config.rules).behaviour).toBe('breakthrough');
  });

  it('measures the shape gap in sampling variances: small for a smooth curve with few items, large for a real jump', () => {
    const smooth = syntheticCurve('predictable', 11);
    const few = analyseCurve(smooth.x, smooth.y, { items: 32 }, options).features;
    expect(few.shapeGapOverNoise).toBeLessThan(1);
    const jump = syntheticCurve('breakthrough', 11);
    expect(analyseCurve(jump.x, jump.y, { items: jump.items }, options).features.shapeGapOverNoise).toBeGreaterThan(1);
  });
});
