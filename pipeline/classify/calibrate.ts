/**
 * Calibration: choose rule thresholds by agreement with published labels, and say honestly how
 * well that choice generalises. Each threshold ranges over its configured `sweep`; the grid point
 * with the most six-way agreement wins, then the most predictable-vs-not agreement.
 *
 * Many grid points tie for best. The in-sample choice among them keeps the point closest to the
 * configured thresholds (all tied points agree equally in-sample, so this only keeps re-runs
 * stable). Leave-one-task-out must not do that: the configured thresholds are the full-data
 * optimum, which has seen the held-out task's label. So for each held-out task the thresholds are
 * searched on the other tasks and the held-out agreement is AVERAGED over every tied optimum: a rule
 * fixed in advance that reads nothing but the other tasks' labels (it equals the expectation of
 * breaking ties at random).
 * Cost: grid size × tasks × rules, once; leave-one-out reuses the same table and per-point agreement
 * counts (O(grid × tasks)).
 */
import { BEHAVIOURS, type Behaviour } from '../ingest/types.ts';
import type { Condition, Rule } from '../config/analysis-config.ts';
import type { TaskFeatures } from '../fit/features.ts';
import { gridClassifier, holdingSets, ruleGrid } from './threshold-grid.ts';

export interface LabelledFeatures {
  task: string;
  features: TaskFeatures;
  published: Behaviour;
}

export interface CalibrationChoice {
  /** Threshold per swept condition, keyed `rule index.condition index` (1-based, as in reports). */
  thresholds: Record<string, number>;
  sixWay: number;
  binary: number;
  /** Grid points with the same (six-way, binary) agreement as the chosen one. */
  tiedOptima: number;
}

export interface LeaveOneOutTask {
  task: string;
  published: Behaviour;
  /** The most frequent prediction over the tied optima of the other tasks (ties: behaviour order). */
  predicted: Behaviour;
  /** Grid points tied for best on the other tasks. */
  tiedOptima: number;
  /** Share of those tied optima that give the published behaviour / agree on predictable-or-not. */
  sixWay: number;
  binary: number;
}

export interface LeaveOneOut {
  /** Sum over held-out tasks of the share of tied optima that agree: expected agreement under random tie-breaking. */
  sixWay: number;
  binary: number;
  total: number;
  tieBreak: string;
  tasks: LeaveOneOutTask[];
}

export interface CalibrationResult {
  chosen: CalibrationChoice;
  gridSize: number;
  leaveOneOut: LeaveOneOut;
}

export const LEAVE_ONE_OUT_TIE_BREAK = 'average over every grid point tied for best on the other tasks (fixed in advance; never the configured thresholds)';

interface SweptCondition {
  key: string;
  rule: number;
  condition: number;
  values: number[];
  defaultIndex: number;
}

export function sweptConditions(rules: readonly Rule[]): SweptCondition[] {
  const swept: SweptCondition[] = [];
  rules.forEach((rule, r) =>
    rule.conditions.forEach((condition: Condition, c) => {
      if (!condition.sweep) return;
      const values = [...new Set([...condition.sweep, condition.threshold])].sort((a, b) => a - b);
      swept.push({ key: `${r + 1}.${c + 1}`, rule: r, condition: c, values, defaultIndex: values.indexOf(condition.threshold) });
    }),
  );
  return swept;
}

export function withThresholds(rules: readonly Rule[], thresholds: Record<string, number>): Rule[] {
  return rules.map((rule, r) => ({
    ...rule,
    conditions: rule.conditions.map((condition, c) => {
      const value = thresholds[`${r + 1}.${c + 1}`];
      return value === undefined ? condition : { ...condition, threshold: value };
    }),
  }));
}

/** Every grid point's prediction for every item: behaviour index per (point, item), row-major. */
interface GridTable {
  swept: SweptCondition[];
  points: number[][];
  predictions: Uint8Array;
}

/**
 * The calibration grid: each swept condition over its configured sweep only, so the grid itself
 * does not depend on the configured (previously calibrated) thresholds.
 */
export function calibrationGrid(rules: readonly Rule[]): SweptCondition[] {
  return sweptConditions(rules).map((s) => {
    const values = [...new Set(rules[s.rule]!.conditions[s.condition]!.sweep!)].sort((a, b) => a - b);
    const threshold = s.values[s.defaultIndex]!;
    const nearest = values.reduce((best, v, i) => (Math.abs(v - threshold) < Math.abs(values[best]! - threshold) ? i : best), 0);
    return { ...s, values, defaultIndex: nearest };
  });
}

function gridTable(rules: readonly Rule[], items: readonly LabelledFeatures[]): GridTable {
  const swept = calibrationGrid(rules);
  const ruleGridOf = ruleGrid(rules, swept);
  const n = items.length;
  const classifyAt = gridClassifier(ruleGridOf, holdingSets(rules, swept, ruleGridOf, items.map((item) => item.features)), n);
  const behaviourOfRule = rules.map((rule) => BEHAVIOURS.indexOf(rule.behaviour));
  const { points } = ruleGridOf;
  const predictions = new Uint8Array(points.length * n);
  for (let g = 0; g < points.length; g++) {
    classifyAt(g, (rule, word, bits) => {
      for (; bits !== 0; bits &= bits - 1) predictions[g * n + word * 32 + (31 - Math.clz32(bits & -bits))] = behaviourOfRule[rule]!;
    });
  }
  return { swept, points, predictions };
}

/**
 * Per grid point, how many items' predictions agree with their published labels six-way and
 * predictable-or-not, and each item's own agreement (bit 1: six-way, bit 2: binary), so that the
 * agreement without one item is the total minus its own: leave-one-out in O(grid × tasks).
 */
interface Agreement {
  six: Int32Array;
  binary: Int32Array;
  flags: Uint8Array;
}

function agreement(table: GridTable, items: readonly LabelledFeatures[]): Agreement {
  const n = items.length;
  const published = items.map((item) => BEHAVIOURS.indexOf(item.published));
  const predictable = BEHAVIOURS.indexOf('predictable');
  const six = new Int32Array(table.points.length);
  const binary = new Int32Array(table.points.length);
  const flags = new Uint8Array(table.predictions.length);
  for (let g = 0; g < table.points.length; g++) {
    for (let t = 0; t < n; t++) {
      const p = table.predictions[g * n + t]!;
      const agreesSix = p === published[t] ? 1 : 0;
      const agreesBinary = (p === predictable) === (published[t] === predictable) ? 1 : 0;
      flags[g * n + t] = agreesSix | (agreesBinary << 1);
      six[g]! += agreesSix;
      binary[g]! += agreesBinary;
    }
  }
  return { six, binary, flags };
}

/** Grid points that tie for best (most six-way, then most binary agreement) over every item but `leftOut` (−1: none), in grid order. */
function bestPoints(totals: Agreement, n: number, leftOut = -1): { points: number[]; sixWay: number; binary: number } {
  let best: number[] = [];
  let bestSix = -1;
  let bestBinary = -1;
  for (let g = 0; g < totals.six.length; g++) {
    const own = leftOut < 0 ? 0 : totals.flags[g * n + leftOut]!;
    const six = totals.six[g]! - (own & 1);
    const binary = totals.binary[g]! - (own >> 1);
    if (six > bestSix || (six === bestSix && binary > bestBinary)) {
      best = [g];
      bestSix = six;
      bestBinary = binary;
    } else if (six === bestSix && binary === bestBinary) best.push(g);
  }
  return { points: best, sixWay: bestSix, binary: bestBinary };
}

/** Leave-one-task-out agreement with ties averaged (see the module comment). */
export function leaveOneTaskOut(rules: readonly Rule[], items: readonly LabelledFeatures[], table: GridTable = gridTable(rules, items), totals: Agreement = agreement(table, items)): LeaveOneOut {
  const n = items.length;
  const predictable = BEHAVIOURS.indexOf('predictable');
  const tasks = items.map((held, i): LeaveOneOutTask => {
    const { points } = bestPoints(totals, n, i);
    const published = BEHAVIOURS.indexOf(held.published);
    const votes = BEHAVIOURS.map(() => 0);
    for (const g of points) votes[table.predictions[g * n + i]!]!++;
    const sixWay = votes[published]! / points.length;
    const binary = votes.reduce((sum, v, b) => sum + ((b === predictable) === (published === predictable) ? v : 0), 0) / points.length;
    const predicted = BEHAVIOURS[votes.indexOf(Math.max(...votes))]!;
    return { task: held.task, published: held.published, predicted, tiedOptima: points.length, sixWay, binary };
  });
  return {
    sixWay: tasks.reduce((sum, t) => sum + t.sixWay, 0),
    binary: tasks.reduce((sum, t) => sum + t.binary, 0),
    total: n,
    tieBreak: LEAVE_ONE_OUT_TIE_BREAK,
    tasks,
  };
}

export function calibrate(rules: readonly Rule[], items: readonly LabelledFeatures[]): CalibrationResult {
  const table = gridTable(rules, items);
  const totals = agreement(table, items);
  const best = bestPoints(totals, items.length);
  // In-sample: among equally good points keep the one closest to the configured thresholds (stable re-runs).
  const distance = (g: number): number => table.points[g]!.reduce((sum, p, i) => sum + Math.abs(p - table.swept[i]!.defaultIndex), 0);
  const chosen = best.points.reduce((a, b) => (distance(b) < distance(a) ? b : a));
  const thresholds = Object.fromEntries(table.swept.map((s, i) => [s.key, s.values[table.points[chosen]![i]!]!]));
  return {
    chosen: { thresholds, sixWay: best.sixWay, binary: best.binary, tiedOptima: best.points.length },
    gridSize: table.points.length,
    leaveOneOut: leaveOneTaskOut(rules, items, table, totals),
  };
}
