/**
 * The registry at a glance (outputs/registry.csv, registry-pooled.csv): each study's share of
 * predictable tasks with its run-level bootstrap interval, as a forest plot with the pooled
 * random-effects estimate under it, and a table of the data behind each share.
 */
import type { TopLevelSpec } from 'vega-lite';
import { escapeMarkdown } from '../escape.ts';
import { fixed, percent } from '../format.ts';
import type { SectionBuilder, Table } from '../section.ts';
import { CHART_CONFIG, SOURCE_COLOURS } from '../theme.ts';

const FILES = { rows: 'registry.csv', pooled: 'registry-pooled.csv' } as const;
const POOLED_LABEL = 'pooled (random effects)';

export const registrySection: SectionBuilder = (outputs) => {
  if (!outputs.exists(FILES.rows)) return undefined;
  const rows = outputs.csv(FILES.rows);
  if (rows.length === 0) return undefined;
  const pooled = outputs.exists(FILES.pooled) ? outputs.csv(FILES.pooled)[0] : undefined;
  const withShare = rows.filter((r) => r.fraction !== '');

  const summary = [
    `${rows.length} stud${rows.length === 1 ? 'y' : 'ies'} in the registry. ` +
      withShare.map((r) => `${escapeMarkdown(r.study!)}: ${r.predictable} of ${r.n_fitted} tasks predictable (${percent(Number(r.fraction))}, interval ${percent(Number(r.ci_low))}–${percent(Number(r.ci_high))}; ${r.n_runs} runs, ${r.n_points} points, x = ${escapeMarkdown(r.x!)})`).join('; ') +
      '.',
  ];
  const insufficient = rows.filter((r) => Number(r.n_insufficient_data) > 0);
  if (insufficient.length > 0) summary.push(`Tasks with too little data to fit (not counted): ${insufficient.map((r) => `${escapeMarkdown(r.study!)} ${r.n_insufficient_data}`).join(', ')}; their reasons are in tasks.csv.`);
  if (pooled) {
    summary.push(
      `Pooled over ${pooled.studies} studies: ${percent(Number(pooled.share))} (95% interval ${percent(Number(pooled.ci_low))}–${percent(Number(pooled.ci_high))}), between-study variance τ² = ${fixed(Number(pooled.tau2), 2)} on the logit scale, I² = ${percent(Number(pooled.i2), 0)}.` +
        (Number(pooled.studies) < 5 ? ' With this few studies τ², and so the pooled interval, is poorly determined.' : ''),
    );
  }

  const values = [
    ...withShare.map((r) => ({ label: r.study!, share: Number(r.fraction), low: Number(r.ci_low), high: Number(r.ci_high), kind: 'study', detail: `${r.predictable}/${r.n_fitted} tasks, ${r.n_runs} runs, x = ${r.x}` })),
    ...(pooled ? [{ label: POOLED_LABEL, share: Number(pooled.share), low: Number(pooled.ci_low), high: Number(pooled.ci_high), kind: 'pooled', detail: `${pooled.studies} studies, τ² = ${fixed(Number(pooled.tau2), 2)}` }] : []),
  ];
  const order = values.map((v) => v.label);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Share of tasks that scale predictably, per study', subtitle: '95% intervals; each study on its own headline x' },
    width: 640,
    height: { step: 22 },
    data: { values },
    encoding: { y: { field: 'label', type: 'nominal', sort: order, title: null, axis: { labelLimit: 200 } } },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { field: 'low', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%', title: 'share predictable' } }, x2: { field: 'high' }, color: { value: SOURCE_COLOURS.reproduced } } },
      {
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          x: { field: 'share', type: 'quantitative' },
          shape: { field: 'kind', type: 'nominal', scale: { domain: ['study', 'pooled'], range: ['square', 'diamond'] }, legend: null },
          color: { value: '#222222' },
          tooltip: [{ field: 'label', title: 'study' }, { field: 'share', format: '.1%' }, { field: 'low', format: '.1%', title: 'interval from' }, { field: 'high', format: '.1%', title: 'to' }, { field: 'detail' }],
        },
      },
    ],
    config: CHART_CONFIG,
  };

  const table: Table = {
    id: 'registry',
    title: 'Every study: share predictable and the data behind it',
    header: ['study', 'claims', 'x', 'x unit', 'checkpoints rule', 'tasks', 'fitted', 'insufficient data', 'predictable', 'share', '95% interval', 'runs', 'checkpoints', 'points'],
    rows: rows.map((r) => [r.study!, r.claims ?? '', r.x!, r.x_unit!, r.checkpoint_rule!, r.n_tasks!, r.n_fitted!, r.n_insufficient_data!, r.predictable!, r.fraction === '' ? '' : percent(Number(r.fraction)), r.fraction === '' ? '' : `${percent(Number(r.ci_low))}–${percent(Number(r.ci_high))}`, r.n_runs!, r.n_checkpoints!, r.n_points!]),
  };

  return {
    id: 'registry',
    title: 'Every study of the registry',
    summary,
    methods: [
      "Each study is classified on its headline x (its published claims' validation set, else the x it declares, else C4 validation loss) with the same fit and rules; its interval comes from a bootstrap that draws whole runs (every usable checkpoint of a drawn run; each model is its own run in a model-level study). Shares are over the tasks with enough data (config `sufficiency`).",
      ...(pooled ? [`Pooled estimate: ${escapeMarkdown(pooled.method ?? '')}`] : []),
    ],
    charts: [{ id: 'registry-forest', title: 'Share predictable per study (forest plot)', spec, caption: 'Squares: each study with its 95% interval; diamond: the pooled random-effects estimate.' }],
    tables: [table],
  };
};
