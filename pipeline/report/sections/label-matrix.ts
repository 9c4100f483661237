/**
 * The benchmark × study label matrix (outputs/cross-study-labels.csv): for every benchmark two or
 * more studies classified, the behaviour each study gives it, as a heatmap coloured by behaviour.
 * Where a study has several tasks of one benchmark (shot counts, subsets), the cell shows the most
 * frequent behaviour and how many of its tasks have it.
 */
import type { TopLevelSpec } from 'vega-lite';
import { behaviourLabel, labels } from '../../classify/labels.ts';
import { escapeMarkdown } from '../escape.ts';
import { compareText } from '../format.ts';
import type { Chart, SectionBuilder, Table } from '../section.ts';
import { sortByRank, withRank } from '../sort-order.ts';
import { behaviourColour, CHART_CONFIG } from '../theme.ts';

const FILE = 'cross-study-labels.csv';

interface Cell extends Record<string, unknown> {
  benchmark: string;
  study: string;
  behaviour: string;
  text: string;
  tasks: string;
}

export const labelMatrixSection: SectionBuilder = (outputs) => {
  if (!outputs.exists(FILE)) return undefined;
  const rows = outputs.csv(FILE);
  if (rows.length === 0) return undefined;
  const studies = [...new Set(rows.map((r) => r.study!))].sort(compareText);
  const benchmarks = [...new Set(rows.map((r) => r.benchmark!))].sort(compareText);
  const order = Object.keys(labels().behaviours);
  const cells: Cell[] = [];
  for (const benchmark of benchmarks) {
    for (const study of studies) {
      const group = rows.filter((r) => r.benchmark === benchmark && r.study === study);
      if (group.length === 0) continue;
      const counts = new Map<string, number>();
      for (const r of group) counts.set(r.label!, (counts.get(r.label!) ?? 0) + 1);
      const [behaviour, count] = [...counts].sort((a, b) => b[1] - a[1] || order.indexOf(a[0]) - order.indexOf(b[0]))[0]!;
      cells.push({
        benchmark,
        study,
        behaviour,
        text: group.length === 1 ? behaviourLabel(behaviour) : `${behaviourLabel(behaviour)} (${count} of ${group.length})`,
        tasks: group.map((r) => `${r.task} (${r.shots}-shot): ${behaviourLabel(r.label!)}`).join('; '),
      });
    }
  }
  const agreeing = benchmarks.filter((b) => {
    const own = cells.filter((c) => c.benchmark === b);
    return own.length >= 2 && new Set(own.map((c) => c.behaviour)).size === 1;
  });
  const present = order.filter((b) => cells.some((c) => c.behaviour === b));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'The same benchmark in every study', subtitle: 'colour: the behaviour the study gives the benchmark (the most frequent, when it has several tasks of it)' },
    data: { values: withRank(withRank(cells, 'study', studies), 'benchmark', benchmarks) },
    width: { step: 150 },
    height: { step: 22 },
    encoding: {
      x: { field: 'study', type: 'nominal', title: null, sort: sortByRank('study'), axis: { orient: 'top', labelAngle: 0 } },
      y: { field: 'benchmark', type: 'nominal', title: null, sort: sortByRank('benchmark') },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
        encoding: {
          color: { field: 'behaviour', type: 'nominal', title: 'behaviour', scale: { domain: present, range: present.map(behaviourColour) }, legend: { orient: 'bottom', direction: 'horizontal' } },
          tooltip: [{ field: 'benchmark' }, { field: 'study' }, { field: 'tasks', title: 'tasks' }],
        },
      },
      { mark: { type: 'text', fontSize: 11 }, encoding: { text: { field: 'text' }, color: { value: '#111111' } } },
    ],
    config: CHART_CONFIG,
  };
  const chart: Chart = { id: 'label-matrix', title: 'Behaviour of each shared benchmark in each study', spec, narrow: studies.length < 4 };
  const table: Table = {
    id: 'label-matrix',
    title: 'Behaviour of each shared benchmark in each study',
    header: ['benchmark', ...studies],
    rows: benchmarks.map((b) => [b, ...studies.map((s) => cells.find((c) => c.benchmark === b && c.study === s)?.text ?? '')]),
  };
  return {
    id: 'label-matrix',
    title: 'The same benchmark across studies',
    summary: [
      `${benchmarks.length} benchmarks are classified by two or more of ${studies.length} studies (${studies.map(escapeMarkdown).join(', ')}); every study gives the same behaviour to ${agreeing.length} of them. Each study is on its own x (see its section), so a different behaviour can come from the x, the models or the prompt format as well as from the benchmark.`,
    ],
    methods: [],
    charts: [chart],
    tables: [table],
  };
};
