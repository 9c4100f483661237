/**
 * Calibration: choose rule thresholds by agreement with published labels, and say honestly how
 * well that choice generalises. Each threshold ranges over its configured `sweep`; the grid point
 * with the most six-way agreement wins (ties: more predictable-vs-not agreement, then the point
 * closest to the configured thresholds). Leave-one-task-out: for each task, calibrate on the other
 * tasks and classify the held-out one, so the reported agreement is not fitted to the task itself.
 * Cost: grid size × tasks × rules, times tasks again for leave-one-out.
 */
import type { Behaviour } from '../ingest/types.ts';
import type { Condition, Rule } from './config.ts';
import type { TaskFeatures } from './features.ts';
import { classify } from './rules.ts';

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
}

export interface CalibrationResult {
  chosen: CalibrationChoice;
  gridSize: number;
  leaveOneOut: { sixWay: number; binary: number; total: number; tasks: { task: string; published: Behaviour; predicted: Behaviour }[] };
}

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

function* grid(swept: SweptCondition[]): Generator<number[]> {
  const index = swept.map(() => 0);
  for (;;) {
    yield index.slice();
    let d = 0;
    while (d < swept.length && ++index[d]! === swept[d]!.values.length) index[d++] = 0;
    if (d === swept.length) return;
  }
}

function search(rules: readonly Rule[], items: readonly LabelledFeatures[]): CalibrationChoice & { gridSize: number } {
  const swept = sweptConditions(rules);
  let best: { sixWay: number; binary: number; distance: number; point: number[] } | undefined;
  let gridSize = 0;
  // Rules are mutated in place for speed; a fresh copy keeps the caller's rules untouched.
  const working = rules.map((rule) => ({ ...rule, conditions: rule.conditions.map((c) => ({ ...c })) }));
  for (const point of grid(swept)) {
    gridSize++;
    swept.forEach((s, i) => (working[s.rule]!.conditions[s.condition]!.threshold = s.values[point[i]!]!));
    let sixWay = 0;
    let binary = 0;
    for (const item of items) {
      const predicted = classify(item.features, working).behaviour;
      if (predicted === item.published) sixWay++;
      if ((predicted === 'predictable') === (item.published === 'predictable')) binary++;
    }
    const distance = point.reduce((sum, p, i) => sum + Math.abs(p - swept[i]!.defaultIndex), 0);
    if (!best || sixWay > best.sixWay || (sixWay === best.sixWay && (binary > best.binary || (binary === best.binary && distance < best.distance)))) {
      best = { sixWay, binary, distance, point };
    }
  }
  const thresholds = Object.fromEntries(swept.map((s, i) => [s.key, s.values[best!.point[i]!]!]));
  return { thresholds, sixWay: best!.sixWay, binary: best!.binary, gridSize };
}

export function calibrate(rules: readonly Rule[], items: readonly LabelledFeatures[]): CalibrationResult {
  const { gridSize, ...chosen } = search(rules, items);
  const tasks = items.map((held, i) => {
    const rest = items.filter((_, j) => j !== i);
    const { thresholds } = search(rules, rest);
    return { task: held.task, published: held.published, predicted: classify(held.features, withThresholds(rules, thresholds)).behaviour };
  });
  return {
    chosen,
    gridSize,
    leaveOneOut: {
      sixWay: tasks.filter((t) => t.predicted === t.published).length,
      binary: tasks.filter((t) => (t.predicted === 'predictable') === (t.published === 'predictable')).length,
      total: tasks.length,
      tasks,
    },
  };
}
