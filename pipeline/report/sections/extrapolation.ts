/**
 * Extrapolation: fitted on the smaller models, how well does each task's curve predict the larger
 * ones, in units of per-point sampling noise? Built from outputs/extrapolation.csv and
 * outputs/extrapolation-summary.csv.
 */
import type { TopLevelSpec } from 'vega-lite';
import { median } from '../../analyses/statistics.ts';
import { escapeMarkdown } from '../escape.ts';
import { compareText, fixed, percent } from '../format.ts';
import type { Chart, ReportSection, SectionBuilder, Table } from '../section.ts';
import { BEHAVIOUR_COLOURS, CHART_CONFIG, behaviourColour, SIZE_SHAPES } from '../theme.ts';

const FILES = { rows: 'extrapolation.csv', summary: 'extrapolation-summary.csv', tests: 'extrapolation-tests.csv' } as const;

/** A held-out miss larger than this (task error units) is called out: 0.06 = 6 accuracy points. */
const LARGE_MISS = 0.06;

type Row = Readonly<Record<string, string>>;

export const extrapolationSection: SectionBuilder = (outputs) => {
  if (!outputs.exists(FILES.rows)) return undefined;
  const rows = outputs.csv(FILES.rows);
  if (rows.length === 0) return undefined;
  const summaryRows = outputs.exists(FILES.summary) ? outputs.csv(FILES.summary) : [];
  const order = [...Object.keys(BEHAVIOUR_COLOURS), ...unique(rows.map((r) => r.behaviour!)).filter((b) => !(b in BEHAVIOUR_COLOURS))];
  const behaviours = order.filter((b) => rows.some((r) => r.behaviour === b));
  const studies = unique(rows.map((r) => r.study!));
  const ratio = (r: Row): number => Number(r.rmse_over_noise);

  const text: string[] = [];
  const splits = studies.map((s) => {
    const first = rows.find((r) => r.study === s)!;
    return `${escapeMarkdown(s)}: ${escapeMarkdown(inWords(first.split!))} on ${escapeMarkdown(first.x_set!)}, ${first.n_train} models fitted, ${first.n_test} held out`;
  });
  text.push(`Held-out splits: ${splits.join('; ')}.`);

  // Medians are compared within a study only: studies differ in models, splits and tasks.
  for (const study of studies) {
    const own = summaryRows.filter((s) => s.study === study);
    if (own.length === 0) continue;
    text.push(
      `Median RMSE on the held-out models of ${escapeMarkdown(study)}, in units of per-point noise, by behaviour: ${own
        .sort((a, b) => order.indexOf(a.behaviour!) - order.indexOf(b.behaviour!))
        .map((s) => `${escapeMarkdown(s.behaviour!)} ${fixed(Number(s.median_rmse_over_noise), 2)} (${s.tasks} task${s.tasks === '1' ? '' : 's'}, median share of held-out points within 2 noise units ${percent(Number(s.median_within_2_noise_share), 0)})`)
        .join('; ')}.`,
    );
  }
  const predictable = rows.filter((r) => r.behaviour === 'predictable');
  const tests = outputs.exists(FILES.tests) ? outputs.csv(FILES.tests) : [];
  const trainRatio = (r: Row): number => (r.rmse_over_train_rmse === 'inf' ? Infinity : Number(r.rmse_over_train_rmse));
  if (predictable.length > 0) {
    const medianPredictable = median(predictable.map(ratio));
    const within = predictable.filter((r) => ratio(r) <= 2).length;
    const worst = [...predictable].sort((a, b) => ratio(b) - ratio(a)).slice(0, 3);
    const verdict =
      medianPredictable <= 2
        ? 'the typical predictable task extrapolates to within twice the sampling noise'
        : 'the typical predictable task misses the larger models by more than twice their sampling noise';
    const comparison = tests
      .filter((t) => t.group_b === 'rest')
      .map(
        (t) =>
          ` Within ${escapeMarkdown(t.study!)}, predictable tasks (median ${fixed(Number(t.median_rmse_over_noise_a), 2)}, ${t.n_a} tasks) ${Number(t.median_rmse_over_noise_a) < Number(t.median_rmse_over_noise_b) ? 'extrapolate better than' : 'do not extrapolate better than'} the other ${t.n_b} tasks (median ${fixed(Number(t.median_rmse_over_noise_b), 2)}); ` +
          `Mann–Whitney U = ${t.u}, two-sided p = ${t.p_value} (${escapeMarkdown(t.method!)})${Number(t.p_value) >= 0.05 ? ': no evidence of a difference' : ''}.`,
      )
      .join('');
    const misses = studies
      .map((study) => {
        const own = predictable.filter((r) => r.study === study && r.max_abs_error !== undefined && r.max_abs_error !== '');
        const large = own.filter((r) => Number(r.max_abs_error) > LARGE_MISS);
        return own.length === 0 ? '' : `${large.length} of ${own.length} predictable tasks of ${escapeMarkdown(study)} miss at least one held-out model by more than ${fixed(100 * LARGE_MISS, 0)} accuracy points${large.length > 0 ? ` (${large.map((r) => `${escapeMarkdown(r.task!)} ${fixed(100 * Number(r.max_abs_error), 1)}`).join(', ')})` : ''}`;
      })
      .filter((s) => s !== '');
    text.push(
      `Do tasks classified predictable extrapolate? Their median held-out RMSE is ${fixed(medianPredictable, 2)} noise units, and ${within} of ${predictable.length} stay within 2: ${verdict}. ` +
        `Against the scatter the fit leaves on its own training models, their held-out RMSE is a median ${fixed(median(predictable.map(trainRatio)), 2)} times as large.` +
        comparison +
        (misses.length > 0 ? ` ${misses.join('; ')}.` : '') +
        ` Largest misses among predictable tasks: ${worst.map((r) => `${escapeMarkdown(r.study!)} ${escapeMarkdown(r.task!)} (${fixed(ratio(r), 1)} noise units, mean predicted − observed error ${signed(Number(r.bias), 3)})`).join(', ')}. ` +
        'Trendless tasks score low for a trivial reason: a flat curve predicts a flat curve.',
    );
    if (studies.length > 1) {
      text.push(
        `By study: ${studies
          .map((study) => {
            const own = predictable.filter((r) => r.study === study);
            return own.length === 0 ? `${escapeMarkdown(study)} has no predictable task` : `${escapeMarkdown(study)} median ${fixed(median(own.map(ratio)), 2)} over ${own.length} predictable tasks (${own.filter((r) => ratio(r) <= 2).length} within 2)`;
          })
          .join('; ')}.`,
      );
    }
  }

  const charts: Chart[] = [ratioChart(rows, behaviours, studies)];
  const summaryTable: Table = {
    id: 'extrapolation-by-behaviour',
    title: 'Median held-out RMSE in noise units, by study and behaviour',
    header: ['study', 'behaviour', 'tasks', 'median RMSE / noise', 'median share within 2 noise', 'median RMSE / training RMSE'],
    // Within-study medians only: a median pooled over studies mixes different models and splits.
    rows: summaryRows.filter((s) => s.study !== 'all').map((s) => [s.study!, s.behaviour!, Number(s.tasks), fixed(Number(s.median_rmse_over_noise), 2), percent(Number(s.median_within_2_noise_share), 0), s.median_rmse_over_train_rmse === 'inf' ? 'inf' : fixed(Number(s.median_rmse_over_train_rmse), 2)]),
  };
  const taskTable: Table = {
    id: 'extrapolation-tasks',
    title: 'Held-out error of every task',
    header: ['study', 'task', 'behaviour', 'fitted', 'held out', 'RMSE', 'noise', 'RMSE / noise', 'mean |error|', 'largest |error|', 'within 2 noise', 'mean predicted − observed'],
    rows: [...rows]
      .sort((a, b) => compareText(a.study!, b.study!) || order.indexOf(a.behaviour!) - order.indexOf(b.behaviour!) || ratio(a) - ratio(b))
      .map((r) => [r.study!, r.task!, r.behaviour!, Number(r.n_train), Number(r.n_test), fixed(Number(r.rmse), 4), fixed(Number(r.noise), 4), fixed(ratio(r), 2), fixed(Number(r.mean_abs_error), 4), r.max_abs_error ? fixed(Number(r.max_abs_error), 4) : '', percent(Number(r.within_2_noise_share), 0), signed(Number(r.bias), 4)]),
  };
  const testTable: Table = {
    id: 'extrapolation-tests',
    title: 'Predictable tasks against the others of the same study: held-out RMSE / noise (Mann–Whitney, two-sided)',
    header: ['study', 'predictable tasks', 'compared with', 'tasks', 'median (predictable)', 'median (other)', 'U', 'p', 'method'],
    rows: tests.map((t) => [t.study!, Number(t.n_a), t.group_b!, Number(t.n_b), fixed(Number(t.median_rmse_over_noise_a), 2), fixed(Number(t.median_rmse_over_noise_b), 2), Number(t.u), t.p_value!, t.method!]),
  };
  const section: ReportSection = {
    id: 'extrapolation',
    title: 'Do predictable tasks extrapolate to larger models?',
    summary: text,
    methods: [
      "**Extrapolation.** Each study's final models are split once, for all tasks, on the headline validation set: when every model's parameter count is known, the models below 1e9 parameters are fitted and the larger ones held out; " +
        'otherwise (or when that leaves fewer than five models to fit or none to hold out) the 80% of models with the highest loss are fitted and the 20% with the lowest loss held out. ' +
        "Each task's exponential is fitted to the fitted models alone, with the headline's bounds, and predicts the held-out ones. " +
        'RMSE and mean absolute error are over the held-out models (prediction minus observed error); the bias is the mean signed error. ' +
        "The noise yardstick is the per-point sampling noise: binomial, sqrt(p(1 − p)/items) averaged over the held-out points, when the task's item count is known, otherwise the first-difference estimate over all the study's models sorted by loss (which also absorbs model-to-model scatter). " +
        'RMSE / training RMSE compares the held-out misses with the scatter the fit leaves on its own training models (which includes model-to-model variation the sampling noise does not). ' +
        "RMSE / noise near 1 means the curve predicts the held-out models as well as their own sampling noise allows. The behaviour is the task's classification on all models, as in the headline, so it has seen the held-out models; the fit that predicts them has not.",
    ],
    charts,
    tables: [summaryTable, testTable, taskTable],
  };
  return section;
};

function ratioChart(rows: readonly Row[], behaviours: string[], studies: string[]): Chart {
  const values = rows
    .map((r) => ({ study: r.study!, task: r.task!, behaviour: r.behaviour!, ratio: Math.max(Number(r.rmse_over_noise), 0.01), within: Number(r.within_2_noise_share) }))
    .sort((a, b) => compareText(a.study, b.study) || compareText(a.task, b.task));
  const medians = behaviours.map((behaviour) => ({ behaviour, median: Math.max(median(values.filter((v) => v.behaviour === behaviour).map((v) => v.ratio)), 0.01) }));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Held-out RMSE in units of sampling noise, by behaviour', subtitle: 'one point per task; bar: median; dashed line: 2 noise units' },
    width: 80 * Math.max(3, behaviours.length),
    height: 240,
    layer: [
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 40, opacity: 0.75 },
        encoding: {
          x: { field: 'behaviour', type: 'nominal', sort: behaviours, title: 'behaviour (all models)', axis: { labelAngle: 0 } },
          xOffset: { field: 'task', type: 'nominal' },
          y: { field: 'ratio', type: 'quantitative', title: 'RMSE / noise (log scale)', scale: { type: 'log' } },
          color: { field: 'behaviour', type: 'nominal', scale: { domain: behaviours, range: behaviours.map(behaviourColour) }, legend: null },
          shape: { field: 'study', type: 'nominal', title: 'study', scale: { domain: studies, range: SIZE_SHAPES.slice(0, Math.max(1, studies.length)) }, legend: { orient: 'bottom', direction: 'horizontal' } },
          tooltip: [
            { field: 'study', title: 'study' },
            { field: 'task', title: 'task' },
            { field: 'behaviour', title: 'behaviour' },
            { field: 'ratio', title: 'RMSE / noise', format: '.2f' },
            { field: 'within', title: 'share within 2 noise', format: '.0%' },
          ],
        },
      },
      {
        data: { values: medians },
        mark: { type: 'tick', thickness: 2, size: 50, color: '#222222' },
        encoding: {
          x: { field: 'behaviour', type: 'nominal', sort: behaviours },
          y: { field: 'median', type: 'quantitative' },
        },
      },
      {
        data: { values: [{ y: 2 }] },
        mark: { type: 'rule', strokeDash: [4, 3], color: '#666666' },
        encoding: { y: { field: 'y', type: 'quantitative' } },
      },
    ],
    config: CHART_CONFIG,
  };
  return { id: 'extrapolation-rmse-over-noise', title: 'Held-out RMSE / noise by behaviour', spec };
}

function signed(value: number, decimals: number): string {
  const text = fixed(value, decimals);
  return value > 0 && !/^0\.0+$/.test(text) ? `+${text}` : text;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** A split as the analysis names it ("params < 1e9") in words: "params below 1e9". */
function inWords(split: string): string {
  return split.replace(/ <= /g, ' at most ').replace(/ >= /g, ' at least ').replace(/ < /g, ' below ').replace(/ > /g, ' above ');
}
