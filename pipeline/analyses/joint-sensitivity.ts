/**
 * Joint sensitivity: the headline under every combination of the swept thresholds at once (the
 * calibration grid, classify/calibrate.ts), not one threshold at a time. The result is the
 * distribution of the predictable count over the grid: how many combinations give each count.
 * Uses the headline fits only (no bootstrap). Cost: grid size × rules × ⌈tasks / 32⌉ word operations
 * (classify/threshold-grid.ts).
 */
import { join } from 'node:path';
import type { StudySummary } from '../aggregate/aggregate-stage.ts';
import { calibrationGrid } from '../classify/calibrate.ts';
import { bitCount, gridClassifier, holdingSets, ruleGrid } from '../classify/threshold-grid.ts';
import type { Rule } from '../config/analysis-config.ts';
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
  const ruleGridOf = ruleGrid(rules, swept); // the same for every study
  const countsPredictable = rules.map((rule) => rule.behaviour === 'predictable');
  const gridSize = ruleGridOf.points.length;
  const rows: JointSensitivityRow[] = [];
  for (const summary of summaries) {
    const features = summary.set.curves.map((c) => c.analysis.features);
    const classifyAt = gridClassifier(ruleGridOf, holdingSets(rules, swept, ruleGridOf, features), features.length);
    const histogram = new Float64Array(features.length + 1);
    for (let g = 0; g < gridSize; g++) {
      let predictable = 0;
      classifyAt(g, (rule, _word, bits) => {
        if (countsPredictable[rule]) predictable += bitCount(bits);
      });
      histogram[predictable]!++;
    }
    histogram.forEach((gridPoints, predictable) => {
      if (gridPoints > 0) rows.push({ study: summary.study, predictable, total: features.length, gridPoints, gridSize });
    });
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
