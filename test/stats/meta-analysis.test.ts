import { describe, expect, it } from 'vitest';
import { inverseLogit, logitShare, logitShareVariance, poolShares } from '../../pipeline/stats/meta-analysis.ts';
import { mulberry32 } from '../../pipeline/stats/random.ts';

/** Binomial(n, p) by summing n seeded Bernoulli draws. */
function binomial(random: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (random() < p) k++;
  return k;
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

describe('random-effects pooling of shares (DerSimonian–Laird)', () => {
  it('gives back the common share, with no heterogeneity, when every study is the same', () => {
    const pooled = poolShares([{ k: 12, n: 40 }, { k: 12, n: 40 }, { k: 12, n: 40 }])!;
    expect(pooled.share).toBeCloseTo(inverseLogit(logitShare(12, 40)), 12);
    expect(pooled.tau2).toBe(0);
    expect(pooled.i2).toBe(0);
    // Three equal studies: the standard error is that of one study over √3.
    expect(pooled.se).toBeCloseTo(Math.sqrt(logitShareVariance(12, 40) / 3), 12);
  });

  it('recovers a known share when studies differ only by sampling', () => {
    const random = mulberry32(11);
    const studies = Array.from({ length: 60 }, () => ({ k: binomial(random, 80, 0.3), n: 80 }));
    const pooled = poolShares(studies)!;
    expect(Math.abs(pooled.share - 0.3)).toBeLessThan(0.02);
    expect(pooled.ci95[0]).toBeLessThan(0.3);
    expect(pooled.ci95[1]).toBeGreaterThan(0.3);
    expect(pooled.tau2).toBeLessThan(0.05);
  });

  it('recovers a known between-study spread τ² and centre when true shares differ', () => {
    const random = mulberry32(5);
    const mu = -0.4;
    const tau = 0.8;
    const studies = Array.from({ length: 200 }, () => ({ k: binomial(random, 150, inverseLogit(mu + tau * normal(random))), n: 150 }));
    const pooled = poolShares(studies)!;
    expect(Math.abs(pooled.logit - mu)).toBeLessThan(0.15);
    expect(Math.abs(pooled.tau2 - tau * tau)).toBeLessThan(0.15);
    expect(pooled.i2).toBeGreaterThan(0.7);
  });

  it('widens the interval when within-study variance is larger, and handles 0 of n', () => {
    const plain = poolShares([{ k: 0, n: 20 }, { k: 5, n: 20 }])!;
    const extra = poolShares([{ k: 0, n: 20, extraVariance: 0.5 }, { k: 5, n: 20, extraVariance: 0.5 }])!;
    expect(Number.isFinite(plain.logit)).toBe(true);
    expect(extra.se).toBeGreaterThan(plain.se);
    expect(poolShares([])).toBeUndefined();
    expect(poolShares([{ k: 0, n: 0 }])).toBeUndefined();
  });
});
