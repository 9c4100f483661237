/**
 * One section per study of the registry other than the headline study (which has the sections
 * above it): its x, its share of tasks that scale predictably with the interval, the count of each
 * behaviour, the tasks with too little data, a task grid per behaviour on the study's own x, and how
 * stable its labels are. Generated for whatever studies reproduction.json lists.
 */
import { behaviourLabel, behaviourRule, labels } from '../../classify/labels.ts';
import { escapeMarkdown } from '../escape.ts';
import { compareText, fixed, percentInterval, percentOf } from '../format.ts';
import { readConfigFile, readPoints, readReproduction, type AnalysisConfigView, type Point, type StudyEntry, type TaskResult } from '../reproduction.ts';
import { groupBy } from '../../util/group.ts';
import type { Chart, ReportSection, SectionsBuilder, Table } from '../section.ts';
import { taskGridSpec } from '../task-grid.ts';
import { capitalize } from '../theme.ts';
import { corpusLabeller, fileSafe, sizeLabeller } from './task-panels.ts';

/** What x is, in words: "loss on c4_en (nats per token)". */
export function xInWords(x: StudyEntry['x']): string {
  const unit = x.unit ? ` (${x.unit})` : '';
  return x.set ? `loss on ${x.set}${unit}` : `${x.axis}${unit}`;
}

export const studySections: SectionsBuilder = (outputs) => {
  const doc = readReproduction(outputs);
  const entries = ((doc as unknown as { studies?: StudyEntry[] } | undefined)?.studies ?? []).filter((e) => e.study !== doc?.study).sort((a, b) => compareText(a.study, b.study));
  if (!doc || entries.length === 0) return undefined;
  const points = readPoints(outputs);
  const stability = outputs.exists('stability.csv') ? outputs.csv('stability.csv') : [];
  const config = readConfigFile<AnalysisConfigView>(outputs, 'analysis.json');
  const reversal = { bins: config?.features?.reversalBins ?? 8, minPointsPerBin: config?.features?.minPointsPerBin ?? 5 };
  return entries.map((entry) => studySection(entry, points, stability, reversal));
};

function studySection(entry: StudyEntry, allPoints: readonly Point[], stability: readonly Readonly<Record<string, string>>[], reversal: { bins: number; minPointsPerBin: number }): ReportSection {
  const xSet = entry.x.set ?? entry.x.axis;
  const points = allPoints.filter((p) => p.study === entry.study && p.xSet === xSet && Number.isFinite(p.x) && Number.isFinite(p.error));
  const byTask = groupBy(points, (p) => p.task);
  const fitted: TaskResult[] = entry.taskResults
    .filter((t) => t.fit !== null && t.rule !== null)
    .map((t) => ({ task: t.task, name: t.name, published: t.published, reproduced: t.label, rule: t.rule!, fit: t.fit!, features: t.features ?? {}, stability: t.stability ?? {} }));
  const total = entry.fitted ?? fitted.length;
  const order = Object.keys(labels().behaviours);
  const behaviours = [...new Set(fitted.map((t) => t.reproduced))].sort((a, b) => rank(order, a) - rank(order, b) || compareText(a, b));
  const sizeOf = sizeLabeller(points);
  const corpusOf = corpusLabeller(points);
  const xTitle = xInWords(entry.x);
  const charts: Chart[] = [];
  for (const behaviour of behaviours) {
    const tasks = fitted.filter((t) => t.reproduced === behaviour && byTask.has(t.task));
    if (tasks.length === 0) continue;
    charts.push({
      id: `tasks-${fileSafe(entry.study)}-${fileSafe(behaviour)}`,
      title: `${capitalize(behaviourLabel(behaviour))}: ${tasks.length} task${tasks.length === 1 ? '' : 's'} of ${entry.study}`,
      spec: taskGridSpec(behaviour, tasks, byTask, { study: entry.study, xTitle, corpora: corpusOf.domain, corpusOf: corpusOf.label, sizes: sizeOf.domain, sizeOf: sizeOf.label, reversal }),
    });
  }
  const counts = behaviours.map((b) => `${behaviourLabel(b)} ${fitted.filter((t) => t.reproduced === b).length}`).join(', ');
  const insufficient = entry.insufficientData ?? [];
  const rows = stability.filter((r) => r.study === entry.study);
  const unstable = rows.filter((r) => r.stable !== 'true');
  const name = new Map(entry.taskResults.map((t) => [t.task, t.name]));
  const summary = [
    `x is the ${escapeMarkdown(xTitle)}${entry.level ? `; data at the level of ${escapeMarkdown(entry.level)}s` : ''}${entry.runs !== undefined ? `, ${entry.runs} runs` : ''}${entry.points !== undefined ? `, ${entry.points} points` : ''}. ` +
      (total > 0
        ? `**${entry.predictable} of ${total}** fitted tasks scale predictably (${percentOf(entry.predictable, total)})${entry.ci95 && entry.ci95.length === 2 ? `, 95% bootstrap interval ${percentInterval(entry.ci95)}` : ''}.`
        : 'No task has enough data to fit.') +
      (entry.claims ? ` Published labels: ${escapeMarkdown(entry.claims)}.` : ' No published labels to compare with.'),
    `Behaviours: ${escapeMarkdown(counts || 'none')}.` +
      (insufficient.length > 0 ? ` ${capitalize(behaviourLabel('insufficient data'))} (not drawn): ${insufficient.map((t) => `${escapeMarkdown(t.name)} (${escapeMarkdown(t.reason)})`).join('; ')}.` : ''),
    ...(rows.length > 0
      ? [`${unstable.length} of ${rows.length} labels are unstable (no behaviour wins 80% of the bootstrap replicates)${unstable.length > 0 ? `: ${unstable.map((r) => `${escapeMarkdown(name.get(r.task!) ?? r.task!)} (${escapeMarkdown(r.winner!)} ${percentOf(Math.round(Number(r.winner_share) * 1000), 1000, 0)})`).join(', ')}` : ''}.`]
      : []),
  ];
  const table: Table = {
    id: `tasks-${fileSafe(entry.study)}`,
    title: `Fit and behaviour of every task of ${entry.study}`,
    header: ['task', 'name', 'behaviour', 'decided by', 'R²', 'points fitted', 'replicates agreeing'],
    rows: [...fitted]
      .sort((a, b) => rank(order, a.reproduced) - rank(order, b.reproduced) || compareText(a.name, b.name))
      .map((t) => [t.task, t.name, t.reproduced, behaviourRule(t.reproduced), fixed(t.fit.r2, 3), t.fit.n, t.stability[t.reproduced] !== undefined ? percentOf(Math.round(t.stability[t.reproduced]! * 1000), 1000, 0) : '']),
  };
  return { id: `study-${fileSafe(entry.study)}`, title: `Study ${entry.study}: every task on its own x`, summary, methods: [], charts, tables: [table] };
}

function rank(order: string[], behaviour: string): number {
  const i = order.indexOf(behaviour);
  return i < 0 ? order.length : i;
}
