/**
 * Cross-study comparison (beyond Lourie et al. 2025 §5): the same benchmark classified in two
 * studies on the shared C4 validation set. Built from outputs/cross-study.csv and
 * outputs/cross-study-points.csv.
 */
import type { TopLevelSpec } from 'vega-lite';
import { escapeMarkdown } from '../escape.ts';
import { compareText } from '../format.ts';
import type { Chart, ReportSection, SectionBuilder, Table } from '../section.ts';
import { CHART_CONFIG, CORPUS_COLOURS, SIZE_SHAPES } from '../theme.ts';

const FILES = { rows: 'cross-study.csv', points: 'cross-study-points.csv' } as const;

type Row = Record<string, string>;

export const crossStudySection: SectionBuilder = (outputs) => {
  if (!outputs.exists(FILES.rows)) return undefined;
  const rows = outputs.csv(FILES.rows);
  if (rows.length === 0) return undefined;
  const points = outputs.exists(FILES.points) ? outputs.csv(FILES.points) : [];
  const studyPairs = unique(rows.map((r) => `${r.study_a}\u0000${r.study_b}`));

  const summary: string[] = [];
  for (const pair of studyPairs) {
    const [a, b] = pair.split('\u0000') as [string, string];
    const pairRows = rows.filter((r) => r.study_a === a && r.study_b === b);
    const benchmarks = unique(pairRows.map((r) => r.benchmark!));
    const preferred = pairRows.filter((r) => r.preferred === 'true');
    const counted = preferred.filter((r) => r.comparable === 'true');
    const same = counted.filter((r) => r.same_behaviour === 'true');
    const flagged = preferred.filter((r) => r.comparable !== 'true');
    const benchmarksAgreeing = benchmarks.filter((bm) => {
      const group = counted.filter((r) => r.benchmark === bm);
      return group.length > 0 && group.every((r) => r.same_behaviour === 'true');
    });
    const countedBenchmarks = unique(counted.map((r) => r.benchmark!));
    const differing = counted.filter((r) => r.same_behaviour !== 'true');
    const predictableA = unique(counted.filter((r) => r.behaviour_a === 'predictable').map((r) => r.task_a!)).length;
    const tasksA = unique(counted.map((r) => r.task_a!)).length;
    const predictableB = unique(counted.filter((r) => r.behaviour_b === 'predictable').map((r) => r.task_b!)).length;
    const tasksB = unique(counted.map((r) => r.task_b!)).length;
    summary.push(
      `**${escapeMarkdown(a)} and ${escapeMarkdown(b)}** share ${benchmarks.length} benchmarks. Of their ${counted.length} comparable task pairs (shot counts as close as the studies allow), ${same.length} get the same behaviour; ` +
        `${benchmarksAgreeing.length} of ${countedBenchmarks.length} benchmarks agree on every such pair. ` +
        `Predictable: ${predictableA} of ${tasksA} compared tasks in ${escapeMarkdown(a)}, ${predictableB} of ${tasksB} in ${escapeMarkdown(b)}.` +
        (differing.length > 0
          ? ` Different behaviour: ${differing.map((r) => `${escapeMarkdown(r.benchmark!)} (${escapeMarkdown(r.task_a!)} ${escapeMarkdown(r.behaviour_a!)} in ${escapeMarkdown(a)}, ${escapeMarkdown(r.task_b!)} ${escapeMarkdown(r.behaviour_b!)} in ${escapeMarkdown(b)})`).join('; ')}.`
          : ''),
    );
    for (const r of flagged) {
      summary.push(`Flagged and left out of the count: ${escapeMarkdown(r.benchmark!)} (${escapeMarkdown(r.behaviour_a!)} in ${escapeMarkdown(a)}, ${escapeMarkdown(r.behaviour_b!)} in ${escapeMarkdown(b)}). ${escapeMarkdown(r.note!)}.`);
    }
  }

  const charts: Chart[] = [];
  for (const benchmark of unique(points.map((p) => p.benchmark!)).sort(compareText)) {
    charts.push(benchmarkChart(benchmark, points.filter((p) => p.benchmark === benchmark), rows.filter((r) => r.benchmark === benchmark && r.preferred === 'true')));
  }

  const table: Table = {
    id: 'cross-study',
    title: 'Behaviour of each shared benchmark in both studies (x = C4 validation loss)',
    header: ['benchmark', 'study a', 'task a', 'shots a', 'behaviour a', 'R² a', 'models a', 'study b', 'task b', 'shots b', 'behaviour b', 'R² b', 'models b', 'same', 'counted', 'note'],
    rows: rows.map((r) => [
      r.benchmark!,
      r.study_a!,
      r.task_a!,
      Number(r.shots_a),
      r.behaviour_a!,
      r.r2_a!,
      Number(r.n_a),
      r.study_b!,
      r.task_b!,
      Number(r.shots_b),
      r.behaviour_b!,
      r.r2_b!,
      Number(r.n_b),
      r.same_behaviour === 'true' ? 'yes' : 'no',
      r.preferred === 'true' && r.comparable === 'true' ? 'yes' : r.preferred === 'true' ? 'no (flagged)' : 'no (shots further apart)',
      r.note ?? '',
    ]),
  };

  const xSets = unique(rows.flatMap((r) => [`${r.study_a}: ${r.x_set_a}`, `${r.study_b}: ${r.x_set_b}`]));
  const section: ReportSection = {
    id: 'cross-study',
    title: 'The same benchmark in two studies',
    summary,
    methods: [
      `**Cross-study comparison.** Every study that has a validation set with the configured canonical id is classified on it with the headline's fit and rules, over its final models (${xSets.map(escapeMarkdown).join(', ')}). ` +
        'Tasks of two studies are matched through their canonical benchmark id. When a study evaluates a benchmark more than once (several shot counts, or several subsets such as the MMLU groups), every pair of tasks is listed; ' +
        'the pairs whose shot counts differ least are the ones counted (ties are all counted), the others are listed for reference. ' +
        "A pair is flagged, and not counted, when one side's harness is known to have scored the benchmark wrongly (the note says which). " +
        'Behaviours are compared as labels: the rules are dimensionless, so studies with different loss ranges, model counts and noise levels are judged by the same standard, but a different label can also come from a different prompt format, shot count or number of models rather than from the benchmark.',
    ],
    charts,
    tables: [table],
  };
  return section;
};

function benchmarkChart(benchmark: string, rows: Row[], pairs: Row[]): Chart {
  const studies = unique(rows.map((r) => r.study!)).sort(compareText);
  const tasks = unique(rows.map((r) => r.task!)).sort(compareText);
  const labelOf = (study: string, task: string): string => {
    const pair = pairs.find((p) => (p.study_a === study && p.task_a === task) || (p.study_b === study && p.task_b === task));
    const behaviour = pair ? (pair.study_a === study && pair.task_a === task ? pair.behaviour_a : pair.behaviour_b) : undefined;
    return `${study}: ${task}${behaviour ? ` (${behaviour})` : ''}`;
  };
  const values = rows
    .map((r) => ({ study: r.study!, task: r.task!, series: labelOf(r.study!, r.task!), model: r.model!, x: Number(r.x), error: Number(r.error), fitted: Number(r.fitted) }))
    .sort((a, b) => compareText(a.series, b.series) || a.x - b.x || compareText(a.model, b.model));
  const series = unique(values.map((v) => v.series)).sort(compareText);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: benchmark, subtitle: 'task error against C4 validation loss; lines: each task\'s fitted curve' },
    width: 300,
    height: 210,
    data: { values },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 28, opacity: 0.75 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: 'C4 validation loss', scale: { zero: false, nice: false, padding: 6 } },
          y: { field: 'error', type: 'quantitative', title: 'task error', scale: { zero: false, padding: 6 } },
          color: { field: 'study', type: 'nominal', title: 'study', scale: { domain: studies, range: CORPUS_COLOURS.slice(0, Math.max(1, studies.length)) }, legend: { orient: 'bottom', direction: 'horizontal' } },
          shape: { field: 'task', type: 'nominal', title: 'task', scale: { domain: tasks, range: SIZE_SHAPES.slice(0, Math.max(1, tasks.length)) }, legend: { orient: 'bottom', direction: 'horizontal', columns: 2 } },
          tooltip: [
            { field: 'series', title: 'study: task (behaviour)' },
            { field: 'model', title: 'model' },
            { field: 'x', title: 'C4 validation loss' },
            { field: 'error', title: 'error' },
          ],
        },
      },
      {
        mark: { type: 'line', strokeWidth: 1.3 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'fitted', type: 'quantitative' },
          color: { field: 'study', type: 'nominal', scale: { domain: studies, range: CORPUS_COLOURS.slice(0, Math.max(1, studies.length)) } },
          detail: { field: 'series', type: 'nominal' },
        },
      },
    ],
    config: CHART_CONFIG,
  };
  return {
    id: `cross-study-${benchmark.replace(/[^A-Za-z0-9_.-]/g, '_')}`,
    title: benchmark,
    group: 'Shared benchmarks, both studies on C4 validation loss',
    spec,
    caption: `Behaviour per task: ${series.map(escapeMarkdown).join('; ')}.`,
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
