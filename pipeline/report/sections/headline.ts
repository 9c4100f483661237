/**
 * Headline: the published and the reproduced share of tasks that scale predictably (with the
 * bootstrap interval), the count of each behaviour, and how well the labels agree.
 */
import type { TopLevelSpec } from 'vega-lite';
import { escapeMarkdown } from '../escape.ts';
import { fixed, ofTotal, percentOf, reproducedInterval } from '../format.ts';
import { readReproduction, type Reproduction, type StudyInfo } from '../reproduction.ts';
import type { Chart, ReportSection, SectionBuilder, Table } from '../section.ts';
import { CHART_CONFIG, SOURCE_COLOURS } from '../theme.ts';

export const headlineSection: SectionBuilder = (outputs) => {
  const doc = readReproduction(outputs);
  if (!doc) return undefined;
  const p = doc.published;
  const r = doc.reproduced;
  const { binary, categories } = doc.agreement;
  const difference = r.predictable - p.predictable;
  const loo = doc.leaveOneTaskOut;
  const looCount = (value: number): string => (Number.isInteger(value) ? String(value) : fixed(value, 1));
  const summary = [
    `Study: ${describe(doc.study, doc.studyInfo)}. Published labels: ${describe(doc.claims, doc.claimsInfo)}. x is the loss on ${escapeMarkdown(doc.x)} (the study's ${escapeMarkdown(doc.xSet)}).`,
    `**Published**: ${ofTotal(p.predictable, p.total)} tasks scale predictably (${percentOf(p.predictable, p.total)}). ` +
      `**Reproduced** by this pipeline: ${ofTotal(r.predictable, r.total)} (${percentOf(r.predictable, r.total)}).`,
    `Two intervals, because they answer different questions. ` +
      (r.taskInterval ? `**Which tasks**: ${reproducedInterval({ ci95: r.taskInterval.ci95, total: r.total })} (95%, ${escapeMarkdown(r.taskInterval.method)}) covers ${escapeMarkdown(r.taskInterval.covers)}; this is the interval for "a share of tasks". ` : '') +
      `**Which models**: ${reproducedInterval(r)} (central 95% of ${r.bootstrap.replicates} bootstrap replicates) covers ${escapeMarkdown(r.bootstrap.covers ?? 'resampling the models, with tasks and thresholds fixed')}.`,
    (difference === 0 && p.total === r.total ? 'The reproduced and published counts are equal. ' : `The reproduced count is ${Math.abs(difference)} task${Math.abs(difference) === 1 ? '' : 's'} ${difference >= 0 ? 'higher' : 'lower'} than published (${signedPoints(r.fraction - p.fraction)}). `) +
      `The rule thresholds were calibrated against these published labels, so closeness to the published share is expected by construction; it is not a test of the paper's number.`,
    `Agreement with the published labels: predictable or not, ${ofTotal(binary.agree, binary.total)} tasks (Cohen's κ = ${fixed(binary.kappa, 2)}); all ${categories.labels.length} behaviours, ${ofTotal(categories.agree, categories.total)} (κ = ${fixed(categories.kappa, 2)}).` +
      (loo
        ? ` These are in-sample: the thresholds saw every label. Leave-one-task-out (each task classified with thresholds searched on the other tasks, ties averaged): ${looCount(loo.binary.agree)} of ${loo.binary.total} (${percentOf(loo.binary.agree, loo.binary.total)}) and ${looCount(loo.categories.agree)} of ${loo.categories.total} (${percentOf(loo.categories.agree, loo.categories.total)}).`
        : ''),
  ];
  const behaviours = behaviourOrder(doc);
  const counts: Table = {
    id: 'behaviour-counts',
    title: 'Tasks per behaviour, published and reproduced',
    header: ['behaviour', 'published', 'reproduced', 'reproduced − published'],
    rows: [
      ...behaviours.map((b) => [b, p.counts[b] ?? 0, r.counts[b] ?? 0, signed((r.counts[b] ?? 0) - (p.counts[b] ?? 0))]),
      ['total', p.total, r.total, signed(r.total - p.total)],
    ],
  };
  const agreement: Table = {
    id: 'agreement',
    title: 'Agreement of reproduced with published labels',
    header: ['labels compared', 'tasks agreeing (in-sample)', 'tasks', 'share', "Cohen's κ", 'leave-one-task-out agreeing', 'share (leave-one-task-out)'],
    rows: [
      ['predictable or not', binary.agree, binary.total, percentOf(binary.agree, binary.total), fixed(binary.kappa, 2), loo ? looCount(loo.binary.agree) : '', loo ? percentOf(loo.binary.agree, loo.binary.total) : ''],
      [`all ${categories.labels.length} behaviours`, categories.agree, categories.total, percentOf(categories.agree, categories.total), fixed(categories.kappa, 2), loo ? looCount(loo.categories.agree) : '', loo ? percentOf(loo.categories.agree, loo.categories.total) : ''],
    ],
  };
  return {
    id: 'headline',
    title: 'Headline: how many tasks scale predictably',
    summary,
    methods: [
      `A task counts as predictable when the classification rules (see *Fit and classification*) give it that behaviour. The published count is that of ${escapeMarkdown(doc.claims)}'s labels; the reproduced count comes from refitting every task of ${escapeMarkdown(doc.study)}.`,
      `Agreement is the number of tasks whose reproduced label equals the published one, over the tasks both label, with Cohen's κ (agreement corrected for what the two label frequencies would give by chance), once for predictable-or-not and once for all ${categories.labels.length} behaviours.`,
    ],
    charts: [fractionChart(doc), countsChart(doc, behaviours)],
    tables: [counts, agreement],
  };
};

/** Every behaviour of the agreement labels, then any other behaviour either side counted. */
export function behaviourOrder(doc: Reproduction): string[] {
  const order = [...doc.agreement.categories.labels];
  for (const b of [...Object.keys(doc.published.counts), ...Object.keys(doc.reproduced.counts)].sort()) if (!order.includes(b)) order.push(b);
  return order;
}

/** "gadre2024 (*Title*, Authors, 2024)" with every contributed part escaped. */
export function describe(id: string, info: StudyInfo | undefined): string {
  const details = [
    info?.title ? `*${escapeMarkdown(info.title)}*` : undefined,
    info?.authors && info.authors.length > 0 ? escapeMarkdown(info.authors.length > 2 ? `${info.authors[0]} et al.` : info.authors.join(' and ')) : undefined,
    info?.year !== undefined ? escapeMarkdown(info.year) : undefined,
  ].filter((part) => part !== undefined);
  return details.length > 0 ? `${escapeMarkdown(id)} (${details.join(', ')})` : escapeMarkdown(id);
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : value < 0 ? `−${-value}` : '0';
}

function signedPoints(value: number): string {
  const text = fixed(100 * Math.abs(value), 1);
  return `${value > 0 && text !== '0.0' ? '+' : value < 0 && text !== '0.0' ? '−' : ''}${text} percentage points`;
}

function fractionChart(doc: Reproduction): Chart {
  const p = doc.published;
  const r = doc.reproduced;
  const publishedLabel = `published (${doc.claims})`;
  const reproducedLabel = 'reproduced';
  const values = [
    { source: publishedLabel, fraction: p.fraction, low: null, high: null, label: `${p.predictable}/${p.total} = ${percentOf(p.predictable, p.total)}`, interval: 'none (a published count)' },
    { source: reproducedLabel, fraction: r.fraction, low: r.ci95[0]!, high: r.ci95[1]!, label: `${r.predictable}/${r.total} = ${percentOf(r.predictable, r.total)}`, interval: reproducedInterval(r) },
  ];
  const y = { field: 'source', type: 'nominal' as const, title: null, sort: [publishedLabel, reproducedLabel], axis: { labelLimit: 200 } };
  const colour = { field: 'source', type: 'nominal' as const, legend: null, scale: { domain: [publishedLabel, reproducedLabel], range: [SOURCE_COLOURS.published, SOURCE_COLOURS.reproduced] } };
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Share of tasks that scale predictably', subtitle: `${doc.study}, x = ${doc.x}; bar: 95% bootstrap interval` },
    width: 420,
    height: 90,
    data: { values },
    encoding: { y },
    layer: [
      {
        mark: { type: 'errorbar', ticks: { size: 10 }, thickness: 2 },
        encoding: {
          x: { field: 'low', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%', title: 'share of tasks predictable' } },
          x2: { field: 'high' },
          color: colour,
        },
      },
      {
        mark: { type: 'point', filled: true, size: 110, opacity: 1 },
        encoding: {
          x: { field: 'fraction', type: 'quantitative' },
          color: colour,
          tooltip: [
            { field: 'source', title: 'labels' },
            { field: 'label', title: 'predictable' },
            { field: 'interval', title: '95% interval' },
          ],
        },
      },
      {
        mark: { type: 'text', dy: -13, fontSize: 11 },
        encoding: { x: { field: 'fraction', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
    config: CHART_CONFIG,
  };
  return { id: 'headline-predictable', title: 'Share of tasks that scale predictably, published and reproduced', spec };
}

function countsChart(doc: Reproduction, behaviours: string[]): Chart {
  const publishedLabel = `published (${doc.claims})`;
  const reproducedLabel = 'reproduced';
  const values = behaviours.flatMap((b) => [
    { behaviour: b, source: publishedLabel, count: doc.published.counts[b] ?? 0 },
    { behaviour: b, source: reproducedLabel, count: doc.reproduced.counts[b] ?? 0 },
  ]);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Tasks per behaviour', subtitle: `${doc.study}: ${doc.published.total} tasks labelled by ${doc.claims}, ${doc.reproduced.total} reproduced` },
    width: 420,
    height: 200,
    data: { values },
    encoding: {
      x: { field: 'behaviour', type: 'nominal', sort: behaviours, title: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'source', type: 'nominal', sort: [publishedLabel, reproducedLabel] },
      y: { field: 'count', type: 'quantitative', title: 'tasks' },
    },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          color: {
            field: 'source',
            type: 'nominal',
            title: null,
            scale: { domain: [publishedLabel, reproducedLabel], range: [SOURCE_COLOURS.published, SOURCE_COLOURS.reproduced] },
            legend: { orient: 'top', direction: 'horizontal' },
          },
          tooltip: [
            { field: 'behaviour', title: 'behaviour' },
            { field: 'source', title: 'labels' },
            { field: 'count', title: 'tasks' },
          ],
        },
      },
      { mark: { type: 'text', dy: -6, fontSize: 11 }, encoding: { text: { field: 'count', type: 'quantitative' } } },
    ],
    config: CHART_CONFIG,
  };
  return { id: 'behaviour-counts', title: 'Tasks per behaviour, published and reproduced', spec };
}
