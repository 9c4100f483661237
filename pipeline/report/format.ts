/** Fixed number formats for report text, so output is stable and numbers read the same everywhere. */
import { formatPercent } from '../util/percent.ts';

/** A fraction as a percentage with fixed decimals: 0.413 → "41.3%" (rounded as util/percent.ts says). */
export function percent(fraction: number, decimals = 1): string {
  return formatPercent(fraction, 1, decimals);
}

/** Part of a whole as a percentage, from the exact counts: percentOf(21, 46) → "45.7%". */
export function percentOf(part: number, whole: number, decimals = 1): string {
  return formatPercent(part, whole, decimals);
}

/** Fixed decimals, never "-0". */
export function fixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}

/** "19 of 46". */
export function ofTotal(count: number, total: number): string {
  return `${count} of ${total}`;
}

/** An interval of fractions as percentages: "37.0%–45.7%". */
export function percentInterval(interval: readonly number[], decimals = 1): string {
  return `${percent(interval[0]!, decimals)}–${percent(interval[1]!, decimals)}`;
}

/** The reproduced interval, from its ends as counts when recorded (exact), else from the stored fractions. */
export function reproducedInterval(reproduced: { ci95: readonly number[]; ci95Count?: readonly number[]; total: number }, decimals = 1): string {
  const counts = reproduced.ci95Count;
  return counts ? `${percentOf(counts[0]!, reproduced.total, decimals)}–${percentOf(counts[1]!, reproduced.total, decimals)}` : percentInterval(reproduced.ci95, decimals);
}

/** Counts with SI prefixes for model sizes and token counts: 10569312 → "11M", 1439795200 → "1.4B". */
export function si(value: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(value) >= size) {
      const scaled = value / size;
      return `${Math.abs(scaled) >= 10 ? scaled.toFixed(0) : scaled.toFixed(1).replace(/\.0$/, '')}${unit}`;
    }
  }
  return String(value);
}

/** Deterministic string comparison (code units, not locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
