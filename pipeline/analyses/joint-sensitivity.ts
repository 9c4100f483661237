/**
 * Joint sensitivity: the headline under every combination of the swept thresholds at once (the
 * calibration grid, classify/calibrate.ts), not one threshold at a time. The result is the
 * distribution of the predictable count over the grid: how many combinations give each count.
 * Uses the headline fits only (no bootstrap). Cost: grid size × rules × ⌈tasks / 32⌉ word operations,
 * after classifying each task once per rule and combination of that rule's swept thresholds.
 */
import { join } from 'node:path';
import type { StudySummary } from '../aggregate/aggregate-stage.ts';
import { calibrationGrid, grid } from '../classify/calibrate.ts';
import type { Rule } from '../config/analysis-config.ts';
import { ruleHolds } from '../classify/rules.ts';
import type { TaskFeatures } from '../fit/features.ts';
import { formatCsv, round, writeFileAtomic } from '../util/files.ts';

export interface JointSensitivityRow {
  study: string;
  predictable: number;
  total: number;
  /** Threshold combinations giving this count, and their share of the grid. */
  gridPoints: number;
  gridSize: number;
}

export function jointSensitivity(summaries: readonly StudySummary[], rules: readonly Rule[]): JointSensitivityRow[] {
  const swept = calibrationGrid(rules);
  // A rule's outcome depends only on its own swept conditions: its "combination" at a grid point is
  // the mixed-radix number of those conditions' sweep positions. Numbered once, for every study.
  const ruleSwept = rules.map((_, r) => swept.flatMap((s, i) => (s.rule === r ? [i] : [])));
  const combinations = ruleSwept.map((at) => at.reduce((product, i) => product * swept[i]!.values.length, 1));
  const points = [...grid(swept)];
  const combinationAt = ruleSwept.map((at) => Int32Array.from(points, (point) => at.reduce((c, i) => c * swept[i]!.values.length + point[i]!, 0)));
  const countsPredictable = rules.map((rule) => rule.behaviour === 'predictable');
  const rows: JointSensitivityRow[] = [];
  for (const summary of summaries) {
    const features = summary.set.curves.map((c) => c.analysis.features);
    const words = Math.ceil(features.length / 32);
    // Per rule and combination, the set of tasks (a bitset) for which the rule holds: classification
    // on the grid is then a few word operations per rule and grid point, with exactly classify()'s
    // outcome (each task takes the first rule whose conditions hold, 'any' or 'all').
    const holding = rules.map((rule, r) => ruleHolding(rule, ruleSwept[r]!.map((i) => swept[i]!), combinations[r]!, features, words));
    const remaining = new Uint32Array(words);
    const histogram = new Float64Array(features.length + 1);
    for (let g = 0; g < points.length; g++) {
      remaining.fill(0xffffffff);
      let predictable = 0;
      for (let r = 0; r < rules.length; r++) {
        const table = holding[r]!;
        const base = combinationAt[r]![g]! * words;
        for (let w = 0; w < words; w++) {
          const hit = remaining[w]! & table[base + w]!;
          if (countsPredictable[r]) predictable += bitCount(hit);
          remaining[w] = remaining[w]! & ~hit;
        }
      }
      histogram[predictable]!++;
    }
    histogram.forEach((gridPoints, predictable) => {
      if (gridPoints > 0) rows.push({ study: summary.study, predictable, total: features.length, gridPoints, gridSize: points.length });
    });
  }
  return rows;
}

/** Bitsets, `words` each, of the tasks for which `rule` holds, one per combination of its swept conditions' values. */
function ruleHolding(rule: Rule, swept: readonly { condition: number; values: readonly number[] }[], combinations: number, features: readonly TaskFeatures[], words: number): Uint32Array {
  const table = new Uint32Array(combinations * words);
  for (let combination = 0; combination < combinations; combination++) {
    // The combination's digits, the last swept condition fastest (as jointSensitivity numbers them).
    const conditions = [...rule.conditions];
    let rest = combination;
    for (let j = swept.length - 1; j >= 0; j--) {
      const { condition, values } = swept[j]!;
      conditions[condition] = { ...conditions[condition]!, threshold: values[rest % values.length]! };
      rest = Math.floor(rest / values.length);
    }
    const at = { ...rule, conditions };
    features.forEach((f, t) => {
      if (ruleHolds(f, at)) table[combination * words + (t >>> 5)]! |= 1 << (t & 31);
    });
  }
  return table;
}

/** Set bits in a 32-bit word. */
function bitCount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** The smallest and largest count, and the central 90% of the grid's counts, per study. */
export function jointRange(rows: readonly JointSensitivityRow[], study: string): { min: number; max: number; p05: number; p95: number; median: number; total: number; gridSize: number } | undefined {
  const own = rows.filter((r) => r.study === study).sort((a, b) => a.predictable - b.predictable);
  if (own.length === 0) return undefined;
  const gridSize = own[0]!.gridSize;
  const quantile = (q: number): number => {
    let seen = 0;
    for (const r of own) {
      seen += r.gridPoints;
      if (seen >= q * gridSize) return r.predictable;
    }
    return own[own.length - 1]!.predictable;
  };
  return { min: own[0]!.predictable, max: own[own.length - 1]!.predictable, p05: quantile(0.05), p95: quantile(0.95), median: quantile(0.5), total: own[0]!.total, gridSize };
}

export const JOINT_SENSITIVITY_FILE = 'joint-sensitivity.csv';

export function writeJointSensitivity(outputsDir: string, rows: readonly JointSensitivityRow[]): string {
  const path = join(outputsDir, JOINT_SENSITIVITY_FILE);
  writeFileAtomic(path, formatCsv(['study', 'predictable', 'total', 'fraction', 'grid_points', 'grid_size', 'share_of_grid'], rows.map((r) => [r.study, r.predictable, r.total, round(r.predictable / r.total, 4), r.gridPoints, r.gridSize, round(r.gridPoints / r.gridSize, 6)])));
  return path;
}
