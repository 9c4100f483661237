/**
 * Rule sets side by side (outputs/rule-sets.csv): the share predictable and the agreement with the
 * published labels under the calibrated rules and under rule sets that never saw those labels
 * (a priori, strict, lenient). The headline of the a-priori set is stated beside the calibrated one.
 */
import type { TopLevelSpec } from 'vega-lite';
import { RULE_SETS_FILES } from '../../analyses/rule-sets.ts';
import { escapeMarkdown } from '../escape.ts';
import { ofTotal, percentOf, percentInterval } from '../format.ts';
import type { Chart, SectionBuilder, Table } from '../section.ts';
import { sortByRank, withRank } from '../sort-order.ts';
import { CHART_CONFIG } from '../theme.ts';

type Row = Record<string, string>;

export const ruleSetsSection: SectionBuilder = (outputs) => {
  if (!outputs.exists(RULE_SETS_FILES.summary)) return undefined;
  const rows = outputs.csv(RULE_SETS_FILES.summary);
  if (rows.length === 0) return undefined;
  const note = outputs.exists('config/rule-sets.json') ? outputs.json<{ note?: string; sets?: { id: string; name: string; description: string; rules: { behaviour: string; why: string }[] }[] }>('config/rule-sets.json') : undefined;
  const studies = [...new Set(rows.map((r) => r.study!))];
  const summary: string[] = [];
  for (const study of studies) {
    const own = rows.filter((r) => r.study === study);
    const calibrated = own.find((r) => r.origin === 'calibrated');
    const apriori = own.find((r) => r.rule_set === 'a-priori');
    const counts = own.map((r) => Number(r.predictable));
    const total = Number(own[0]!.total);
    const labelled = Number(own[0]!.labelled);
    const headline = (r: Row): string => `${ofTotal(Number(r.predictable), Number(r.total))} (${percentOf(Number(r.predictable), Number(r.total))}; tasks interval ${percentInterval([Number(r.tasks_ci_low), Number(r.tasks_ci_high)])})`;
    const agreement = (r: Row): string => (labelled > 0 ? `agreeing with the published labels on ${ofTotal(Number(r.agree_binary), labelled)} tasks (predictable or not) and ${ofTotal(Number(r.agree_six_way), labelled)} (all behaviours)` : 'no published labels to compare with');
    summary.push(
      `**${escapeMarkdown(study)}.** ` +
        (calibrated ? `Calibrated rules: ${headline(calibrated)}, ${agreement(calibrated)}${labelled > 0 ? ', in-sample, with thresholds searched against those very labels' : ''}. ` : '') +
        (apriori ? `**A-priori rules** (thresholds stated from sampling noise, never tuned on the labels): ${headline(apriori)}, ${agreement(apriori)}. ` : '') +
        `Across the ${own.length} rule sets the count ranges from ${Math.min(...counts)} to ${Math.max(...counts)} of ${total}: ` +
        own.map((r) => `${escapeMarkdown(r.rule_set!)} ${r.predictable}`).join(', ') +
        '. How many tasks "scale predictably" depends first of all on what one requires of a predictable task.',
    );
  }
  if (note?.note) summary.push(`*Provenance of the rule sets.* ${escapeMarkdown(note.note)}`);

  const table: Table = {
    id: 'rule-sets',
    title: 'Share predictable and agreement with the published labels, per rule set',
    header: ['study', 'rule set', 'origin', 'predictable', 'tasks', 'share', '95% interval (tasks, Wilson)', '95% interval (models, bootstrap)', 'agree: predictable or not', 'agree: all behaviours', 'labelled'],
    rows: rows.map((r) => [r.study!, r.name!, r.origin!, Number(r.predictable), Number(r.total), percentOf(Number(r.predictable), Number(r.total)), percentInterval([Number(r.tasks_ci_low), Number(r.tasks_ci_high)]), percentInterval([Number(r.models_ci_low), Number(r.models_ci_high)]), r.agree_binary ?? '', r.agree_six_way ?? '', Number(r.labelled)]),
  };
  const methods = [
    '**Rule sets.** Besides the calibrated rules (analysis.json), every task is classified by the rule sets of pipeline/config/rule-sets.json, which were written down before their agreement with the published labels was computed and not tuned afterwards. ' +
      (note?.sets ?? []).map((s) => `*${escapeMarkdown(s.name)}*: ${escapeMarkdown(s.description)}`).join(' ') +
      ' The first rule that holds gives the behaviour, as for the calibrated rules. The tasks interval is Wilson\'s score interval on the count (uncertainty from the finite set of tasks); the models interval re-applies the rule set to the headline\'s bootstrap replicates (models resampled, tasks fixed).',
  ];
  return { id: 'rule-sets', title: 'Rule sets side by side: how much the headline depends on what counts as predictable', summary, methods, charts: studies.map((study) => ruleSetsChart(rows.filter((r) => r.study === study), study)), tables: [table] };
};

function ruleSetsChart(rows: Row[], study: string): Chart {
  const values = rows.flatMap((r) => {
    const total = Number(r.total);
    const labelled = Number(r.labelled);
    const out = [{ set: r.name!, measure: 'share predictable', value: Number(r.predictable) / total, low: Number(r.tasks_ci_low), high: Number(r.tasks_ci_high), label: `${r.predictable}/${total}` }];
    if (labelled > 0) {
      out.push({ set: r.name!, measure: 'agreement, predictable or not', value: Number(r.agree_binary) / labelled, low: Number.NaN, high: Number.NaN, label: `${r.agree_binary}/${labelled}` });
      out.push({ set: r.name!, measure: 'agreement, all behaviours', value: Number(r.agree_six_way) / labelled, low: Number.NaN, high: Number.NaN, label: `${r.agree_six_way}/${labelled}` });
    }
    return out.map((v) => ({ ...v, low: Number.isNaN(v.low) ? null : v.low, high: Number.isNaN(v.high) ? null : v.high }));
  });
  const order = rows.map((r) => r.name!);
  const ranked = withRank(values, 'set', order);
  // The panels share the text column: one wide panel when a study has no published labels, three narrower ones when it has.
  const measures = new Set(values.map((v) => v.measure)).size;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Share predictable and agreement with the published labels, per rule set', subtitle: `${study}; bars on the share: 95% Wilson interval over tasks` },
    data: { values: ranked },
    facet: { column: { field: 'measure', type: 'nominal', title: null, sort: ['share predictable', 'agreement, predictable or not', 'agreement, all behaviours'] } },
    spec: {
      width: Math.floor(540 / Math.max(1, measures)),
      height: 24 * Math.max(3, order.length),
      encoding: { y: { field: 'set', type: 'nominal', sort: sortByRank('set'), title: null, axis: { labelLimit: 260 } } },
      layer: [
        { mark: { type: 'bar', color: '#0072B2' }, encoding: { x: { field: 'value', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%' }, title: null }, tooltip: [{ field: 'set', title: 'rule set' }, { field: 'measure' }, { field: 'label', title: 'count' }] } },
        { mark: { type: 'errorbar', ticks: true }, encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
        { mark: { type: 'text', align: 'left', dx: 3, fontSize: 11 }, encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'label' } } },
      ],
    },
    config: CHART_CONFIG,
  };
  return { id: `rule-sets-${study.replace(/[^a-z0-9_-]/gi, '_')}`, title: `Rule sets side by side (${study})`, spec };
}
