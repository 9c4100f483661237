import { describe, expect, it } from 'vitest';
import { jsonIdentities, shareRepeated } from '../../pipeline/report/html-report.ts';
import type { VegaSpec } from '../../pipeline/report/render-chart.ts';
import { mulberry32 } from '../../pipeline/stats/random.ts';

/** A random JSON-like value from a small alphabet, so equal subtrees are common; with undefined, NaN and odd keys. */
function randomValue(random: () => number, depth: number): unknown {
  const pick = random();
  if (depth === 0 || pick < 0.3) {
    const leaves = [0, 1, -0, 1.5, Number.NaN, 'a', 'b"\\n', '\u2028', true, null, undefined, 'x'.repeat(30)];
    return leaves[Math.floor(random() * leaves.length)];
  }
  const size = Math.floor(random() * 4);
  if (pick < 0.6) return Array.from({ length: size }, () => randomValue(random, depth - 1));
  const keys = ['k', 'v', '"q"', 'constructor', '10', '2'];
  return Object.fromEntries(Array.from({ length: size }, (_, i) => [keys[(i + Math.floor(random() * keys.length)) % keys.length]!, randomValue(random, depth - 1)]));
}

describe('jsonIdentities', () => {
  it('gives two values the same id exactly when their JSON texts are equal, and that text length', () => {
    const random = mulberry32(5);
    const identity = jsonIdentities();
    const values = Array.from({ length: 400 }, () => ({ wrap: randomValue(random, 4) }));
    const texts = values.map((v) => JSON.stringify(v));
    const ids = values.map((v) => identity(v));
    ids.forEach((id, i) => expect(id.length).toBe(texts[i]!.length));
    for (let i = 0; i < values.length; i++) for (let j = 0; j < i; j++) expect(ids[i]!.id === ids[j]!.id).toBe(texts[i] === texts[j]);
    // The small alphabet makes repeats common, so the test compares both outcomes.
    expect(new Set(texts).size).toBeLessThan(values.length);
    expect(new Set(texts).size).toBeGreaterThan(10);
  });
});

describe('shareRepeated', () => {
  it('stores a repeated large part once and leaves unique or small parts inline', () => {
    const table = { name: 'models', values: Array.from({ length: 20 }, (_, i) => ({ model: `m${i}`, loss: 3 + i / 10 })) };
    const specs = new Map<string, VegaSpec>([
      ['a', { data: [structuredClone(table), { name: 'own', values: [1, 2] }], width: 10 } as VegaSpec],
      ['b', { data: [structuredClone(table)], width: 10 } as VegaSpec],
    ]);
    const { specs: out, shared } = shareRepeated(specs);
    expect(shared).toEqual([table]);
    expect(out).toEqual({ a: { data: [{ $shared: 0 }, { name: 'own', values: [1, 2] }], width: 10 }, b: { data: [{ $shared: 0 }], width: 10 } });
  });
});
