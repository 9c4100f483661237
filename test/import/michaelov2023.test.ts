/** The michaelov2023 importer's parsing: sizes from names, steps, item counts from standard errors. */
import { describe, expect, it } from 'vitest';
import { itemsFromStandardErrors, nominalParameters, stepOf } from '../../pipeline/import/michaelov2023.ts';

/** The harness's standard error of a proportion over n items (sample standard deviation, n − 1). */
const se = (p: number, n: number): number => Math.sqrt((p * (1 - p)) / (n - 1));

describe('michaelov2023 parsing', () => {
  it('reads nominal parameters from Pythia model names', () => {
    expect(nominalParameters('EleutherAI/pythia-70m')).toBe(70_000_000);
    expect(nominalParameters('EleutherAI/pythia-1.4b')).toBe(1_400_000_000);
    expect(nominalParameters('EleutherAI/pythia-12b')).toBe(12_000_000_000);
    expect(() => nominalParameters('EleutherAI/gpt-neo')).toThrow(/cannot read a size/);
  });

  it('reads the step of a revision', () => {
    expect(stepOf('step143000')).toBe(143000);
    expect(() => stepOf('main')).toThrow(/is not step<N>/);
  });

  it('recovers the item count when every informative row agrees', () => {
    const rows = [0.45, 0.6, 0.9].map((p) => ({ accuracy: p, se: se(p, 315) }));
    expect(itemsFromStandardErrors([...rows, { accuracy: 1, se: 0 }, { accuracy: 0, se: 0 }])).toBe(315);
  });

  it('gives undefined when rows disagree or no row is informative', () => {
    expect(itemsFromStandardErrors([{ accuracy: 0.5, se: se(0.5, 300) }, { accuracy: 0.5, se: se(0.5, 301) }])).toBeUndefined();
    expect(itemsFromStandardErrors([{ accuracy: 0.42, se: 0.0131 }])).toBeUndefined();
    expect(itemsFromStandardErrors([{ accuracy: 1, se: 0 }])).toBeUndefined();
  });
});
