/**
 * Joint sensitivity: the headline under every combination of the swept thresholds at once (the
 * calibration grid, classify/calibrate.ts), not one threshold at a time. The result is the
 * distribution of the predictable count over the grid: how many combinations give each count.
 * Uses the headline fits only (no bootstrap). Cost: grid size × tasks × rules.
 */
import { join } from 'node:path';
import type { StudySummary } from '../aggregate/aggregate-stage.ts';
import { calibrationGrid, grid } from '../classify/calibrate.ts';
import type { Rule } from '../config/analysis-config.ts';
import { conditionHolds } from '../classify/rules.ts';
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
  // Which swept condition (index into `swept`) each rule's condition is, or −1 when its threshold is fixed.
  const sweptAt = rules.map((rule) => rule.conditions.map(() => -1));
  swept.forEach((s, i) => (sweptAt[s.rule]![s.condition] = i));
  const rows: JointSensitivityRow[] = [];
  for (const summary of summaries) {
    const features = summary.set.curves.map((c) => c.analysis.features);
    // Whether each condition holds for each task, per swept value: classification on the grid is then
    // table look-ups, with exactly classify()'s outcome (first rule whose conditions hold, 'any' or 'all').
    const holds = features.map((f) => rules.map((rule, r) => rule.conditions.map((c, k) => {
      const i = sweptAt[r]![k]!;
      return i < 0 ? [conditionHolds(f, c)] : swept[i]!.values.map((threshold) => conditionHolds(f, { ...c, threshold }));
    })));
    const histogram = new Map<number, number>();
    let gridSize = 0;
    for (const point of grid(swept)) {
      gridSize++;
      let predictable = 0;
      for (const table of holds) {
        for (let r = 0; r < rules.length; r++) {
          const rule = rules[r]!;
          const conditions = table[r]!;
          let holdsRule = conditions.length === 0 || rule.match === 'all';
          for (let k = 0; k < conditions.length; k++) {
            const i = sweptAt[r]![k]!;
            const value = conditions[k]![i < 0 ? 0 : point[i]!]!;
            if (rule.match === 'all' ? !value : value) {
              holdsRule = rule.match !== 'all';
              break;
            }
          }
          if (holdsRule) {
            if (rule.behaviour === 'predictable') predictable++;
            break;
          }
        }
      }
      histogram.set(predictable, (histogram.get(predictable) ?? 0) + 1);
    }
    for (const [predictable, gridPoints] of [...histogram.entries()].sort((a, b) => a[0] - b[0])) rows.push({ study: summary.study, predictable, total: features.length, gridPoints, gridSize });
  }
  return rows;
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
