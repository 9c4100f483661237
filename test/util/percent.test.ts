import { describe, expect, it } from 'vitest';
import { formatPercent } from '../../pipeline/util/percent.ts';

describe('formatPercent: one rounding rule on the exact fraction', () => {
  it('prints 21/46 as 45.7% whether given as counts or as the stored fraction 0.4565', () => {
    // (100 * 0.4565).toFixed(1) is "45.6": the binary-float artefact the headline used to print.
    expect((100 * 0.4565).toFixed(1)).toBe('45.6');
    expect(formatPercent(21, 46)).toBe('45.7%');
    expect(formatPercent(0.4565)).toBe('45.7%');
  });

  it('rounds exact halves away from zero, and other values to the nearest', () => {
    expect(formatPercent(1, 8, 0)).toBe('13%'); // 12.5
    expect(formatPercent(-1, 8, 0)).toBe('-13%');
    expect(formatPercent(0.00125, 1, 1)).toBe('0.1%'); // 0.125 → 0.1 at one decimal
    expect(formatPercent(0.00015, 1, 2)).toBe('0.02%'); // 0.015 exactly
    expect(formatPercent(19, 46)).toBe('41.3%');
    expect(formatPercent(18, 46)).toBe('39.1%');
    expect(formatPercent(2, 3, 0)).toBe('67%');
    expect(formatPercent(0, 46)).toBe('0.0%');
    expect(formatPercent(46, 46)).toBe('100.0%');
    expect(formatPercent(-0.0001, 1, 1)).toBe('0.0%');
  });

  it('reads fractional parts and scientific notation exactly', () => {
    expect(formatPercent(37.43, 46)).toBe('81.4%');
    expect(formatPercent(1e-7, 1, 5)).toBe('0.00001%');
    expect(formatPercent(2.5e-3, 1, 0)).toBe('0%');
  });

  it('refuses a zero or non-finite whole', () => {
    expect(() => formatPercent(1, 0)).toThrow(/non-zero whole/);
    expect(() => formatPercent(Number.NaN)).toThrow(/finite/);
  });
});
