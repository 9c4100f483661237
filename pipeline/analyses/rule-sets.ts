/**
 * Rule sets side by side: the share of tasks each named rule set calls predictable (with the
 * model-resampling interval from the headline's bootstrap features and a Wilson interval over
 * tasks) and its agreement with the published labels, in-sample. The calibrated set's agreement
 * is flattering by construction (its thresholds were searched against those labels); the
 * a-priori, strict and lenient sets never saw them.
 */
import { join } from 'node:path';
import type { ClaimComparison, StudySummary } from '../aggregate/aggregate-stage.ts';
import { classifyReplicates, percentileInterval } from '../aggregate/bootstrap.ts';
import type { RuleSet } from '../classify/rule-sets.ts';
import { classify } from '../classify/rules.ts';
import { BEHAVIOURS, type Behaviour } from '../ingest/types.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import { formatCsv, round, writeFileAtomic } from '../util/files.ts';

export interface RuleSetRow {
  study: string;
  ruleSet: string;
  name: string;
  origin: RuleSet['origin'];
  predictable: number;
  total: number;
  /** Central 95% of the bootstrap replicates' counts (models resampled), as counts of tasks. */
  modelsLow: number;
  modelsHigh: number;
  /** Wilson 95% interval of predictable/total (the finite set of tasks), as fractions. */
  tasksLow: number;
  tasksHigh: number;
  counts: Record<Behaviour, number>;
  /** Tasks with a published label, and how many agree (six behaviours; predictable or not). NaN without labels. */
  labelled: number;
  agreeSixWay: number;
  agreeBinary: number;
}

export interface RuleSetTaskRow {
  study: string;
  task: string;
  published: Behaviour | '';
  labels: Record<string, Behaviour>;
}

export interface RuleSetComparison {
  rows: RuleSetRow[];
  tasks: RuleSetTaskRow[];
  sets: RuleSet[];
}

export function compareRuleSets(summaries: readonly StudySummary[], comparisons: readonly ClaimComparison[], sets: readonly RuleSet[]): RuleSetComparison {
  const rows: RuleSetRow[] = [];
  const tasks: RuleSetTaskRow[] = [];
  for (const summary of summaries) {
    const comparison = comparisons.find((c) => c.summary.study === summary.study);
    const published = new Map(comparison?.claims.claims.labels.map((l) => [l.task, l.behaviour]) ?? []);
    const curves = summary.set.curves;
    const perSet = sets.map((set) => curves.map((curve) => classify(curve.analysis.features, set.rules).behaviour));
    sets.forEach((set, s) => {
      const labels = perSet[s]!;
      const predictable = labels.filter((b) => b === 'predictable').length;
      const [low, high] = percentileInterval(classifyReplicates(summary.replicates, set.rules).predictable, 0.95);
      const [tasksLow, tasksHigh] = wilsonInterval(predictable, labels.length);
      let labelled = 0;
      let agreeSixWay = 0;
      let agreeBinary = 0;
      curves.forEach((curve, t) => {
        const label = published.get(curve.task.id);
        if (!label) return;
        labelled++;
        if (label === labels[t]) agreeSixWay++;
        if ((label === 'predictable') === (labels[t] === 'predictable')) agreeBinary++;
      });
      const counts = Object.fromEntries(BEHAVIOURS.map((b) => [b, labels.filter((l) => l === b).length])) as Record<Behaviour, number>;
      rows.push({ study: summary.study, ruleSet: set.id, name: set.name, origin: set.origin, predictable, total: labels.length, modelsLow: low, modelsHigh: high, tasksLow, tasksHigh, counts, labelled, agreeSixWay: labelled ? agreeSixWay : Number.NaN, agreeBinary: labelled ? agreeBinary : Number.NaN });
    });
    curves.forEach((curve, t) => tasks.push({ study: summary.study, task: curve.task.id, published: published.get(curve.task.id) ?? '', labels: Object.fromEntries(sets.map((set, s) => [set.id, perSet[s]![t]!])) }));
  }
  return { rows, tasks, sets: [...sets] };
}

export const RULE_SETS_FILES = { summary: 'rule-sets.csv', tasks: 'rule-sets-tasks.csv' } as const;

/** outputs/rule-sets.csv (one row per study and rule set) and outputs/rule-sets-tasks.csv (each task's label under each set). */
export function writeRuleSets(outputsDir: string, result: RuleSetComparison): string[] {
  const summary = join(outputsDir, RULE_SETS_FILES.summary);
  const cell = (v: number): number | null => (Number.isNaN(v) ? null : v);
  writeFileAtomic(
    summary,
    formatCsv(
      ['study', 'rule_set', 'name', 'origin', 'predictable', 'total', 'fraction', 'models_ci_low', 'models_ci_high', 'tasks_ci_low', 'tasks_ci_high', 'labelled', 'agree_binary', 'agree_six_way', ...BEHAVIOURS.map((b) => `tasks_${b}`)],
      result.rows.map((r) => [r.study, r.ruleSet, r.name, r.origin, r.predictable, r.total, round(r.predictable / r.total, 4), round(r.modelsLow / r.total, 4), round(r.modelsHigh / r.total, 4), round(r.tasksLow, 4), round(r.tasksHigh, 4), r.labelled, cell(r.agreeBinary), cell(r.agreeSixWay), ...BEHAVIOURS.map((b) => r.counts[b])]),
    ),
  );
  const tasks = join(outputsDir, RULE_SETS_FILES.tasks);
  const ids = result.sets.map((s) => s.id);
  writeFileAtomic(tasks, formatCsv(['study', 'task', 'published', ...ids], result.tasks.map((t) => [t.study, t.task, t.published, ...ids.map((id) => t.labels[id]!)])));
  return [summary, tasks];
}
