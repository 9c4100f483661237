/**
 * Sensitivity of the headline (outputs/sensitivity.csv): what the share of predictable tasks
 * becomes under every rule threshold and every analysis choice, and a short "what the headline
 * depends on" summary placed near the top of the report.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SensitivityRow } from '../../analyses/sensitivity.ts';
import { escapeMarkdown } from '../escape.ts';
import { percent, percentInterval, percentOf } from '../format.ts';
import type { Chart, OutputsReader, ReportSection, SectionBuilder } from '../section.ts';
import { sortByRank, withRank } from '../sort-order.ts';
import { CHART_CONFIG, SOURCE_COLOURS } from '../theme.ts';

/** A row of outputs/sensitivity.csv, typed as the analysis wrote it. */
type Row = SensitivityRow;

function readRows(outputs: OutputsReader): Row[] | undefined {
  if (!outputs.exists('sensitivity.csv')) return undefined;
  return outputs.csv('sensitivity.csv').map((r) => ({
    study: r.study!,
    choice: r.choice!,
    value: r.value!,
    predictable: Number(r.predictable),
    total: Number(r.total),
    fraction: Number(r.fraction),
    ciLow: Number(r.ci_low),
    ciHigh: Number(r.ci_high),
    replicates: Number(r.replicates),
    isDefault: r.is_default === 'true',
  }));
}

/** The study the headline is about (from reproduction.json), else every study in the file. */
function headlineStudy(outputs: OutputsReader, rows: Row[]): string {
  if (outputs.exists('reproduction.json')) return outputs.json<{ study: string }>('reproduction.json').study;
  return rows[0]!.study;
}

interface ChoiceRange {
  choice: string;
  low: Row;
  high: Row;
  spread: number;
}

/** Per choice, its lowest and highest fraction; sorted by how far the choice moves the headline. */
function choiceRanges(rows: Row[]): ChoiceRange[] {
  const byChoice = new Map<string, Row[]>();
  for (const row of rows) if (row.choice !== 'default') byChoice.set(row.choice, [...(byChoice.get(row.choice) ?? []), row]);
  return [...byChoice.entries()]
    .map(([choice, list]) => {
      const low = list.reduce((a, b) => (b.fraction < a.fraction ? b : a));
      const high = list.reduce((a, b) => (b.fraction > a.fraction ? b : a));
      return { choice, low, high, spread: high.fraction - low.fraction };
    })
    .sort((a, b) => b.spread - a.spread || (a.choice < b.choice ? -1 : 1));
}

const at = (row: Row): string => `${percentOf(row.predictable, row.total)} (${row.predictable}/${row.total}) with ${escapeMarkdown(row.value)}`;

/** Short summary for the top of the report. */
export const dependsOnSection: SectionBuilder = (outputs) => {
  const all = readRows(outputs);
  if (!all || all.length === 0) return undefined;
  const study = headlineStudy(outputs, all);
  const rows = all.filter((r) => r.study === study);
  const base = rows.find((r) => r.choice === 'default');
  if (!base) return undefined;
  const low = rows.reduce((a, b) => (b.fraction < a.fraction ? b : a));
  const high = rows.reduce((a, b) => (b.fraction > a.fraction ? b : a));
  const ranges = choiceRanges(rows);
  const movers = ranges.filter((r) => r.spread > 0).slice(0, 4);
  const still = ranges.filter((r) => r.spread === 0).map((r) => escapeMarkdown(r.choice));
  return {
    id: 'depends-on',
    title: 'What the headline depends on',
    summary: [
      `With every default choice, ${percentOf(base.predictable, base.total)} of ${escapeMarkdown(study)}'s tasks scale predictably (95% interval ${percentInterval([base.ciLow, base.ciHigh])}). Over all ${rows.length} analysis choices we tried, the share ranges from ${percentOf(low.predictable, low.total)} (${escapeMarkdown(low.choice)}: ${escapeMarkdown(low.value)}) to ${percentOf(high.predictable, high.total)} (${escapeMarkdown(high.choice)}: ${escapeMarkdown(high.value)}).`,
      movers.length > 0
        ? `The choices that move it most: ${movers.map((m) => `**${escapeMarkdown(m.choice)}**, from ${at(m.low)} to ${at(m.high)}`).join('; ')}.`
        : 'No choice moves it.',
      ...(still.length > 0 ? [`It does not move under: ${still.join(', ')}.`] : []),
    ],
    methods: [],
    charts: [],
    tables: [],
  };
};

export const sensitivitySection: SectionBuilder = (outputs) => {
  const all = readRows(outputs);
  if (!all || all.length === 0) return undefined;
  const studies = [...new Set(all.map((r) => r.study))].sort();
  const charts: Chart[] = studies.flatMap((study) => {
    const rows = all.filter((r) => r.study === study);
    return [thresholdChart(study, rows.filter((r) => r.choice.startsWith('threshold:'))), choiceChart(study, rows.filter((r) => !r.choice.startsWith('threshold:')))];
  });
  const headline = headlineStudy(outputs, all);
  return {
    id: 'sensitivity',
    title: 'Sensitivity to every analysis choice',
    summary: [
      `Each row of the table is the share of tasks that scale predictably when one choice departs from the default and everything else stays as it is; the default row equals the headline. ${choiceRanges(all.filter((r) => r.study === headline))
        .map((r) => `${escapeMarkdown(r.choice)}: ${percentOf(r.low.predictable, r.low.total)}–${percentOf(r.high.predictable, r.high.total)}`)
        .join('; ')}.`,
    ],
    methods: [
      'Rule thresholds are swept one at a time over the range given for each in the analysis configuration; the headline\'s fits and bootstrap replicates are re-classified, so each threshold value has the same interval machinery as the headline.',
      'Choices that change the data or the fit are refitted from scratch with a bootstrap of their own: the validation set whose loss is x (every set the study provides, all corpora pooled), the same with the models of one pretraining corpus only (so that the effect of the validation set is separated from the effect of pooling corpora that sit at different losses, the paper\'s §3 point), pooled models versus the models of one pretraining corpus, the fit form (the paper\'s exponential in loss; the same form in the logarithm of loss, i.e. a power law; a straight line), accuracy versus chance-normalized accuracy ((accuracy − chance)/(1 − chance), which rescales error by 1/(1 − chance)), and tasks with known defects left out (listed in the configuration with the reason).',
    ],
    charts,
    tables: studies.map((study) => ({
      id: `sensitivity-${study}`,
      title: `Share of ${study}'s tasks predictable under each choice`,
      header: ['choice', 'value', 'predictable', 'total', 'share', '95% interval', 'replicates', 'default'],
      rows: all.filter((r) => r.study === study).map((r) => [r.choice, r.value, r.predictable, r.total, percentOf(r.predictable, r.total), percentInterval([r.ciLow, r.ciHigh]), r.replicates, r.isDefault ? 'yes' : '']),
    })),
  };
};

function thresholdChart(study: string, rows: Row[]): Chart {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${study}: share predictable as each rule threshold sweeps`, subtitle: 'band: 95% bootstrap interval; filled point: the configured threshold' },
    data: { values: rows.map((r) => ({ choice: r.choice.replace(/^threshold: /, ''), threshold: Number(r.value), fraction: r.fraction, low: r.ciLow, high: r.ciHigh, isDefault: r.isDefault, label: `${r.predictable}/${r.total}` })) },
    facet: { field: 'choice', type: 'nominal', title: null, header: { labelFontSize: 11 } },
    columns: 3,
    spec: {
      width: 180,
      height: 110,
      layer: [
        { mark: { type: 'area', opacity: 0.25, color: SOURCE_COLOURS.reproduced }, encoding: { x: { field: 'threshold', type: 'quantitative', title: 'threshold', scale: { zero: false } }, y: { field: 'low', type: 'quantitative', title: 'share predictable', scale: { domain: [0, 1] }, axis: { format: '.0%' } }, y2: { field: 'high' } } },
        { mark: { type: 'line', color: SOURCE_COLOURS.reproduced }, encoding: { x: { field: 'threshold', type: 'quantitative' }, y: { field: 'fraction', type: 'quantitative' } } },
        {
          mark: { type: 'point', size: 50, color: SOURCE_COLOURS.reproduced },
          encoding: {
            x: { field: 'threshold', type: 'quantitative' },
            y: { field: 'fraction', type: 'quantitative' },
            fill: { condition: { test: 'datum.isDefault', value: SOURCE_COLOURS.reproduced }, value: 'white' },
            tooltip: [{ field: 'choice' }, { field: 'threshold' }, { field: 'label', title: 'predictable' }, { field: 'fraction', format: '.1%' }],
          },
        },
      ],
    },
    resolve: { scale: { x: 'independent' } },
    config: CHART_CONFIG,
  };
  return { id: `sensitivity-thresholds-${study}`, title: `${study}: rule thresholds`, spec };
}

function choiceChart(study: string, rows: Row[]): Chart {
  const items = rows.map((r) => ({ item: `${r.choice}: ${r.value}`, fraction: r.fraction, low: r.ciLow, high: r.ciHigh, isDefault: r.isDefault, label: `${r.predictable}/${r.total}`, replicates: r.replicates }));
  const values = withRank(items, 'item', items.map((v) => v.item));
  const y = { field: 'item', type: 'nominal' as const, title: null, sort: sortByRank('item'), axis: { labelLimit: 320 } };
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${study}: share predictable under each analysis choice`, subtitle: 'bar: 95% bootstrap interval; filled point: the default' },
    width: 360,
    data: { values },
    encoding: { y },
    layer: [
      { mark: { type: 'rule', color: SOURCE_COLOURS.reproduced }, encoding: { x: { field: 'low', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%', title: 'share predictable' } }, x2: { field: 'high' } } },
      {
        mark: { type: 'point', size: 60, color: SOURCE_COLOURS.reproduced },
        encoding: {
          x: { field: 'fraction', type: 'quantitative' },
          fill: { condition: { test: 'datum.isDefault', value: SOURCE_COLOURS.reproduced }, value: 'white' },
          tooltip: [{ field: 'item', title: 'choice' }, { field: 'label', title: 'predictable' }, { field: 'fraction', format: '.1%' }, { field: 'replicates' }],
        },
      },
    ],
    config: CHART_CONFIG,
  };
  return { id: `sensitivity-choices-${study}`, title: `${study}: analysis choices`, spec };
}
