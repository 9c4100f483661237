/** Published (rows) against reproduced (columns) behaviour: the confusion matrix and the tasks that differ. */
import type { TopLevelSpec } from 'vega-lite';
import { escapeMarkdown } from '../escape.ts';
import { fixed, ofTotal, percent } from '../format.ts';
import { behaviourRule } from '../../classify/labels.ts';
import { groupBy } from '../../util/group.ts';
import { readReproduction } from '../reproduction.ts';
import type { ReportSection, SectionBuilder } from '../section.ts';
import { CHART_CONFIG } from '../theme.ts';

export const confusionSection: SectionBuilder = (outputs) => {
  const doc = readReproduction(outputs);
  if (!doc) return undefined;
  const { labels, matrix, agree, total } = doc.agreement.categories;
  const cellTasks = groupBy(
    doc.tasks.filter((task) => task.published !== null),
    (task) => `${task.published}\u0000${task.reproduced}`,
  );
  const max = Math.max(1, ...matrix.flat());
  const values = labels.flatMap((published, i) =>
    labels.map((reproduced, j) => {
      const count = matrix[i]?.[j] ?? 0;
      const names = (cellTasks.get(`${published}\u0000${reproduced}`) ?? []).map((task) => task.name);
      return { published, reproduced, count, agree: i === j, tasks: names.length > 8 ? `${names.slice(0, 8).join(', ')}, … (${names.length})` : names.join(', ') };
    }),
  );
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Published against reproduced behaviour', subtitle: `${doc.study}: rows ${doc.claims}'s labels, columns this pipeline; ${agree} of ${total} on the diagonal` },
    width: 330,
    height: 330,
    data: { values },
    encoding: {
      x: { field: 'reproduced', type: 'nominal', sort: labels, title: 'reproduced', axis: { orient: 'top', labelAngle: -30, labelAlign: 'left' } },
      y: { field: 'published', type: 'nominal', sort: labels, title: `published (${doc.claims})` },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: { field: 'count', type: 'quantitative', title: 'tasks', scale: { scheme: 'blues', domain: [0, max] }, legend: { orient: 'right', gradientLength: 150 } },
          tooltip: [
            { field: 'published', title: 'published' },
            { field: 'reproduced', title: 'reproduced' },
            { field: 'count', title: 'tasks' },
            { field: 'tasks', title: 'which' },
          ],
        },
      },
      {
        mark: { type: 'text', fontSize: 13 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
          opacity: { condition: { test: 'datum.count === 0', value: 0.35 }, value: 1 },
        },
      },
      {
        mark: { type: 'rect', fill: null, stroke: '#222222', strokeWidth: 1.5 },
        transform: [{ filter: 'datum.agree' }],
      },
    ],
    config: CHART_CONFIG,
  };
  const differing = doc.tasks.filter((t) => t.published !== null && t.published !== t.reproduced);
  const rowTotal = (i: number): number => (matrix[i] ?? []).reduce((a, b) => a + b, 0);
  const columnTotal = (j: number): number => matrix.reduce((a, row) => a + (row[j] ?? 0), 0);
  const section: ReportSection = {
    id: 'confusion',
    title: 'Published against reproduced behaviour',
    summary: [
      `${ofTotal(agree, total)} tasks (${percent(agree / total)}) get the same behaviour as published (the diagonal). ` +
        (differing.length === 0
          ? 'No task differs.'
          : `${differing.length === 1 ? 'One task differs' : `${differing.length} tasks differ`}: ${differing.map((t) => `${escapeMarkdown(t.name)} (published ${escapeMarkdown(t.published!)}, reproduced ${escapeMarkdown(t.reproduced)})`).join('; ')}.`),
    ],
    methods: [
      `The matrix counts the tasks that both ${escapeMarkdown(doc.claims)} and this pipeline label, by published behaviour (rows) and reproduced behaviour (columns). For each differing task, the table gives the share of bootstrap replicates in which the rules give the reproduced and the published behaviour: a low share for the reproduced behaviour means the label is fragile.`,
    ],
    charts: [{ id: 'confusion-matrix', title: 'Published (rows) against reproduced (columns) behaviour', spec, narrow: true }],
    tables: [
      {
        id: 'confusion-matrix',
        title: 'Confusion matrix: published (rows) against reproduced (columns)',
        header: ['published ↓ reproduced →', ...labels, 'total'],
        rows: [...labels.map((label, i) => [label, ...labels.map((_, j) => matrix[i]?.[j] ?? 0), rowTotal(i)]), ['total', ...labels.map((_, j) => columnTotal(j)), total]],
      },
      {
        id: 'differing-tasks',
        title: 'Tasks whose reproduced behaviour differs from the published one',
        header: ['task', 'name', 'published', 'reproduced', 'decided by', 'R²', 'replicates: reproduced', 'replicates: published'],
        rows: differing.map((t) => [t.task, t.name, t.published!, t.reproduced, behaviourRule(t.reproduced), fixed(t.fit.r2, 3), percent(t.stability[t.reproduced] ?? 0, 0), percent(t.stability[t.published!] ?? 0, 0)]),
      },
    ],
  };
  return section;
};
