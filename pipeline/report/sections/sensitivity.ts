/**
 * Sensitivity of the headline (outputs/sensitivity.csv): what the share of predictable tasks
 * becomes under every rule threshold and every analysis choice, and a short "what the headline
 * depends on" summary placed near the top of the report.
 */
import { groupBy } from '../../util/group.ts';
import type { TopLevelSpec } from 'vega-lite';
import type { SensitivityRow } from '../../analyses/sensitivity.ts';
import { choiceLabel, settingLabel } from '../../classify/labels.ts';
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
  const byChoice = groupBy(
    rows.filter((row) => row.choice !== 'default'),
    (row) => row.choice,
  );
  return [...byChoice.entries()]
    .map(([choice, list]) => {
      const low = list.reduce((a, b) => (b.fraction < a.fraction ? b : a));
      const high = list.reduce((a, b) => (b.fraction > a.fraction ? b : a));
      return { choice, low, high, spread: high.fraction - low.fraction };
    })
    .sort((a, b) => b.spread - a.spread || (a.choice < b.choice ? -1 : 1));
}

const at = (row: Row): string => `${percentOf(row.predictable, row.total)} (${row.predictable}/${row.total}) with ${escapeMarkdown(row.value)}`;

/** How many alternative settings (non-default rows) of how many analysis choices: the one count the report and the log both give. */
export function settingCounts(rows: readonly Row[]): { alternatives: number; choices: number } {
  return { alternatives: rows.filter((r) => !r.isDefault).length, choices: new Set(rows.filter((r) => r.choice !== 'default').map((r) => r.choice)).size };
}

const setting = (row: Row): string => escapeMarkdown(settingLabel(row.choice, row.value));

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
  const still = ranges.filter((r) => r.spread === 0).map((r) => escapeMarkdown(choiceLabel(r.choice)));
  const { alternatives, choices } = settingCounts(rows);
  return {
    id: 'depends-on',
    title: 'What the headline depends on',
    summary: [
      `With every default choice, ${percentOf(base.predictable, base.total)} of ${escapeMarkdown(study)}'s tasks scale predictably (95% interval ${percentInterval([base.ciLow, base.ciHigh])}). Over the ${alternatives} alternative settings of ${choices} analysis choices we tried, one at a time, the share ranges from ${percentOf(low.predictable, low.total)} (${setting(low)}) to ${percentOf(high.predictable, high.total)} (${setting(high)}).`,
      movers.length > 0
        ? `The choices that move it most: ${movers.map((m) => `**${escapeMarkdown(choiceLabel(m.choice))}**, from ${at(m.low)} to ${at(m.high)}`).join('; ')}.`
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
  const headline = headlineStudy(outputs, all);
  // The headline study first, then the others by id.
  const studies = [...new Set(all.map((r) => r.study))].sort((a, b) => Number(b === headline) - Number(a === headline) || (a < b ? -1 : a > b ? 1 : 0));
  const charts: Chart[] = studies.flatMap((study) => {
    const rows = all.filter((r) => r.study === study);
    return [thresholdChart(study, rows.filter((r) => r.choice.startsWith('threshold:'))), choiceChart(study, rows.filter((r) => !r.choice.startsWith('threshold:')))];
  });
  return {
    id: 'sensitivity',
    title: 'Sensitivity to every analysis choice',
    summary: [
      `Each row of the table is the share of tasks that scale predictably when one analysis choice departs from its default and everything else stays as it is; the default row equals the headline. For ${escapeMarkdown(headline)}, the range of the share under each choice:`,
      choiceRanges(all.filter((r) => r.study === headline))
        .map((r) => `- ${escapeMarkdown(choiceLabel(r.choice))}: ${percentOf(r.low.predictable, r.low.total)}–${percentOf(r.high.predictable, r.high.total)}`)
        .join('\n'),
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
      rows: all.filter((r) => r.study === study).map((r) => [choiceLabel(r.choice), r.value, r.predictable, r.total, percentOf(r.predictable, r.total), percentInterval([r.ciLow, r.ciHigh]), r.replicates, r.isDefault ? 'yes' : '']),
    })),
  };
};

/** The share axis over the data's range (with a margin), not 0–100%: effects of a few tasks stay visible. */
function shareDomain(rows: readonly Row[]): [number, number] {
  const lo = Math.min(...rows.map((r) => r.ciLow), ...rows.map((r) => r.fraction));
  const hi = Math.max(...rows.map((r) => r.ciHigh), ...rows.map((r) => r.fraction));
  const margin = Math.max(0.02, (hi - lo) * 0.1);
  return [Math.max(0, Math.floor((lo - margin) * 20) / 20), Math.min(1, Math.ceil((hi + margin) * 20) / 20)];
}

/** Panel width in pixels that puts `columns` panels across the report's text column. */
export const THRESHOLD_PANEL_WIDTH = 240;

function thresholdChart(study: string, rows: Row[]): Chart {
  const values = rows.map((r) => ({ choice: choiceLabel(r.choice), threshold: Number(r.value), fraction: r.fraction, low: r.ciLow, high: r.ciHigh, isDefault: r.isDefault, label: `${r.predictable}/${r.total}` }));
  const x = { field: 'threshold', type: 'quantitative' as const, title: 'threshold', scale: { zero: false, nice: false, padding: 8 }, axis: { tickCount: 5 } };
  const y = { field: 'fraction', type: 'quantitative' as const, title: 'share predictable', scale: { domain: shareDomain(rows), zero: false }, axis: { format: '.0%', tickCount: 5 } };
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${study}: share predictable as each rule threshold moves`, subtitle: 'band: 95% bootstrap interval; dashed line and filled point: the configured threshold' },
    data: { values },
    facet: { field: 'choice', type: 'nominal', title: null, header: { labelFontSize: 11, labelLimit: THRESHOLD_PANEL_WIDTH + 20 } },
    columns: 3,
    spec: {
      width: THRESHOLD_PANEL_WIDTH,
      height: 120,
      layer: [
        { mark: { type: 'area', opacity: 0.25, color: SOURCE_COLOURS.reproduced }, encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' } } },
        { mark: { type: 'rule', strokeDash: [4, 3], color: '#555555' }, transform: [{ filter: 'datum.isDefault' }], encoding: { x: { field: 'threshold', type: 'quantitative' } } },
        { mark: { type: 'line', color: SOURCE_COLOURS.reproduced }, encoding: { x, y } },
        {
          mark: { type: 'point', size: 50, color: SOURCE_COLOURS.reproduced },
          encoding: {
            x,
            y,
            fill: { condition: { test: 'datum.isDefault', value: SOURCE_COLOURS.reproduced }, value: 'white' },
            tooltip: [{ field: 'choice', title: 'rule' }, { field: 'threshold' }, { field: 'label', title: 'predictable' }, { field: 'fraction', format: '.1%', title: 'share' }],
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
  const items = rows.map((r) => ({ item: settingLabel(r.choice, r.value), fraction: r.fraction, low: r.ciLow, high: r.ciHigh, isDefault: r.isDefault, label: `${r.predictable}/${r.total}`, replicates: r.replicates }));
  const values = withRank(items, 'item', items.map((v) => v.item));
  const y = { field: 'item', type: 'nominal' as const, title: null, sort: sortByRank('item'), axis: { labelLimit: 340, labelFontSize: 11 } };
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${study}: share predictable under each analysis choice`, subtitle: 'bar: 95% bootstrap interval; filled point: the default' },
    width: 480,
    height: { step: 16 },
    data: { values },
    encoding: { y },
    layer: [
      { mark: { type: 'rule', color: SOURCE_COLOURS.reproduced }, encoding: { x: { field: 'low', type: 'quantitative', scale: { domain: shareDomain(rows), zero: false }, axis: { format: '.0%', title: 'share predictable', tickCount: 8 } }, x2: { field: 'high' } } },
      {
        mark: { type: 'point', size: 60, color: SOURCE_COLOURS.reproduced },
        encoding: {
          x: { field: 'fraction', type: 'quantitative' },
          fill: { condition: { test: 'datum.isDefault', value: SOURCE_COLOURS.reproduced }, value: 'white' },
          tooltip: [{ field: 'item', title: 'choice' }, { field: 'label', title: 'predictable' }, { field: 'fraction', format: '.1%', title: 'share' }, { field: 'replicates' }],
        },
      },
    ],
    config: CHART_CONFIG,
  };
  return { id: `sensitivity-choices-${study}`, title: `${study}: analysis choices`, spec };
}
