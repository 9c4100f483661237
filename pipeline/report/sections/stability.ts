/**
 * Label stability (outputs/stability.csv): for each task, the share of bootstrap replicates that
 * give each behaviour; unstable labels are those whose most frequent behaviour wins under 80%.
 */
import type { TopLevelSpec } from 'vega-lite';
import { escapeMarkdown } from '../escape.ts';
import { percent } from '../format.ts';
import type { Chart, SectionBuilder } from '../section.ts';
import { sortByRank, withRank } from '../sort-order.ts';
import { BEHAVIOUR_COLOURS, CHART_CONFIG } from '../theme.ts';

export const stabilitySection: SectionBuilder = (outputs) => {
  if (!outputs.exists('stability.csv')) return undefined;
  const rows = outputs.csv('stability.csv');
  if (rows.length === 0) return undefined;
  const behaviours = Object.keys(rows[0]!).filter((k) => k.startsWith('share_')).map((k) => k.slice('share_'.length));
  const studies = [...new Set(rows.map((r) => r.study!))].sort();
  const summary = studies.map((study) => {
    const list = rows.filter((r) => r.study === study);
    const unstable = list.filter((r) => r.stable !== 'true');
    const disagreements = list.filter((r) => r.published && r.published !== r.reproduced);
    const unstableDisagreements = disagreements.filter((r) => r.stable !== 'true');
    return (
      `${escapeMarkdown(study)}: ${unstable.length} of ${list.length} task labels are unstable (no behaviour wins 80% of the replicates)` +
      (unstable.length > 0 ? `: ${unstable.map((r) => `${escapeMarkdown(r.task!)} (${escapeMarkdown(r.winner!)} ${percent(Number(r.winner_share), 0)})`).join(', ')}.` : '.') +
      (disagreements.length > 0 ? ` ${unstableDisagreements.length} of the ${disagreements.length} tasks where the reproduced label differs from the published one are among them.` : '')
    );
  });
  const charts: Chart[] = studies.map((study) => {
    const list = rows.filter((r) => r.study === study);
    const order = [...list].sort((a, b) => Number(a.winner_share) - Number(b.winner_share) || (a.task! < b.task! ? -1 : 1)).map((r) => r.task!);
    const values = withRank(
      list.flatMap((r) => behaviours.map((b, rank) => ({ task: r.task!, behaviour: b, rank, share: Number(r[`share_${b}`]), reproduced: r.reproduced!, published: r.published || 'none' }))),
      'task',
      order,
    );
    const spec: TopLevelSpec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: `${study}: share of bootstrap replicates giving each behaviour`, subtitle: 'least stable first; the dashed line marks 80%' },
      width: 380,
      height: { step: 15 },
      data: { values },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            y: { field: 'task', type: 'nominal', sort: sortByRank('task'), title: null, axis: { labelFontSize: 11, labelLimit: 260 } },
            x: { field: 'share', type: 'quantitative', stack: 'zero', scale: { domain: [0, 1] }, axis: { format: '.0%', title: 'share of replicates' } },
            color: { field: 'behaviour', type: 'nominal', scale: { domain: behaviours, range: behaviours.map((b) => BEHAVIOUR_COLOURS[b] ?? '#444444') }, legend: { title: 'behaviour', orient: 'bottom' } },
            order: { field: 'rank', type: 'quantitative' },
            tooltip: [{ field: 'task' }, { field: 'behaviour' }, { field: 'share', format: '.1%' }, { field: 'reproduced' }, { field: 'published' }],
          },
        },
        { mark: { type: 'rule', strokeDash: [4, 3], color: '#333333' }, encoding: { x: { datum: 0.8 } } },
      ],
      config: CHART_CONFIG,
    };
    return { id: `stability-${study}`, title: `${study}: label stability`, spec };
  });
  return {
    id: 'stability',
    title: 'How stable is each label?',
    summary,
    methods: [
      'Each bootstrap replicate resamples whole runs with replacement (every usable checkpoint of a drawn run; in a model-level study each model is its own run), refits every task and re-applies the rules; a replicate with too little data for a task counts as insufficient data; a task\'s label is stable when one behaviour wins at least 80% of the replicates. The share of each behaviour is in outputs/stability.csv.',
    ],
    charts,
    tables: [],
  };
};
