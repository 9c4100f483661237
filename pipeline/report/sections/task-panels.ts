/**
 * One small chart per task, grouped by reproduced behaviour (as in Figures 5–10 of Lourie et al.):
 * every model a point (colour: pretraining corpus, shape: model size), the fitted
 * ε − k·exp(−γ·x) drawn from the parameters in reproduction.json over the models' loss range.
 */
import type { TopLevelSpec } from 'vega-lite';
import { behaviourRule } from '../../classify/labels.ts';
import { escapeMarkdown } from '../escape.ts';
import { round } from '../../util/files.ts';
import { compareText, fixed, percent, si } from '../format.ts';
import { readConfigFile, readPoints, readReproduction, type AnalysisConfigView, type Point, type Reproduction, type TaskResult } from '../reproduction.ts';
import { groupBy } from '../../util/group.ts';
import { CURVE_SAMPLES, evidenceInWords, taskGridSpec } from '../task-grid.ts';
import type { Chart, SectionBuilder } from '../section.ts';
import { capitalize, CHART_CONFIG, CORPUS_COLOURS, SIZE_SHAPES } from '../theme.ts';
import { behaviourOrder } from './headline.ts';

/** At most this many distinct parameter counts are shown as they are; more are binned by decade. */
const MAX_NOMINAL_SIZES = SIZE_SHAPES.length;
const DIFFERS_COLOUR = '#B00020';

export const taskPanelsSection: SectionBuilder = (outputs) => {
  const doc = readReproduction(outputs);
  if (!doc) return undefined;
  const points = readPoints(outputs).filter((p) => p.study === doc.study && p.xSet === doc.xSet && Number.isFinite(p.x) && Number.isFinite(p.error));
  const byTask = groupBy(points, (point) => point.task);
  const corpusOf = corpusLabeller(points);
  const corpora = corpusOf.domain;
  const sizeOf = sizeLabeller(points);
  const sizes = sizeOf.domain;
  const models = modelTable(points, sizeOf.label, corpusOf.label);

  const charts: Chart[] = [];
  const missing: string[] = [];
  const groups = behaviourOrder(doc);
  const config = readConfigFile<AnalysisConfigView>(outputs, 'analysis.json');
  const reversal = { bins: config?.features?.reversalBins ?? 8, minPointsPerBin: config?.features?.minPointsPerBin ?? 5 };
  const xTitle = `loss on ${doc.x}`;
  const panels: Chart[] = [];
  for (const behaviour of groups) {
    const tasks = doc.tasks.filter((t) => t.reproduced === behaviour).sort((a, b) => compareText(a.name, b.name) || compareText(a.task, b.task));
    const drawn = tasks.filter((t) => (byTask.get(t.task) ?? []).length > 0);
    missing.push(...tasks.filter((t) => !drawn.includes(t)).map((t) => t.name));
    if (drawn.length === 0) continue;
    charts.push({
      id: `tasks-${fileSafe(doc.study)}-${fileSafe(behaviour)}`,
      title: `${capitalize(behaviour)}: ${drawn.length} task${drawn.length === 1 ? '' : 's'} of ${doc.study}`,
      spec: taskGridSpec(behaviour, drawn, byTask, { study: doc.study, xTitle, corpora, corpusOf: corpusOf.label, sizes, sizeOf: sizeOf.label, reversal }),
    });
    // Each task's panel alone, for linking; drawn only in figures/.
    for (const task of drawn) panels.push({ id: `task-${fileSafe(task.task)}`, title: task.name, linkOnly: true, spec: panelSpec(doc, task, byTask.get(task.task)!, corpora, sizes, models) });
  }
  charts.push(...panels);
  const differing = doc.tasks.filter((t) => t.published !== null && t.published !== t.reproduced).length;
  const summary = [
    `One panel per task of ${escapeMarkdown(doc.study)} (${doc.tasks.length} tasks, ${models.length} models), one grid per reproduced behaviour. ` +
      `Each model is a point (colour: pretraining corpus, shape: model size in parameters); the black line is the fitted ε − k·exp(−γ·x) with x the loss on ${escapeMarkdown(doc.x)}. ` +
      `Each panel's heading gives the task and the fit's R², and names the published behaviour where it differs (${differing} task${differing === 1 ? '' : 's'}). ` +
      'Each grid also draws what decided its label:',
    groups
      .filter((b) => doc.tasks.some((t) => t.reproduced === b))
      .map((b) => `- **${escapeMarkdown(b)}** (${escapeMarkdown(behaviourRule(b))}): ${escapeMarkdown(evidenceInWords(b))}.`)
      .join('\n'),
  ];
  if (missing.length > 0) summary.push(`No points in points.csv for ${missing.map(escapeMarkdown).join(', ')}: no panel drawn.`);
  return {
    id: 'tasks',
    title: 'Every task, grouped by reproduced behaviour',
    summary,
    methods: [
      `Panels are drawn from outputs/points.csv (one row per model and task) and the fitted parameters in reproduction.json; the curve is sampled at ${CURVE_SAMPLES} evenly spaced losses between the smallest and the largest loss among the task's models.` +
        (sizes.length > 0 ? ` Model sizes are ${sizeOf.binned ? 'binned by decade of parameter count' : 'the distinct parameter counts'}: ${sizes.map(escapeMarkdown).join(', ')}.` : ''),
    ],
    charts,
    tables: [
      {
        id: 'task-fits',
        title: 'Fit and behaviour of every task',
        header: ['task', 'name', 'reproduced', 'published', 'decided by', 'ε', 'k', 'γ', 'R²', 'models', 'replicates agreeing'],
        rows: groups.flatMap((behaviour) =>
          doc.tasks
            .filter((t) => t.reproduced === behaviour)
            .sort((a, b) => compareText(a.name, b.name) || compareText(a.task, b.task))
            .map((t) => [t.task, t.name, t.reproduced, t.published ?? '', behaviourRule(t.reproduced), fixed(t.fit.epsilon, 3), significant(t.fit.k), fixed(t.fit.gamma, 3), fixed(t.fit.r2, 3), t.fit.n, percent(t.stability[t.reproduced] ?? 0, 0)]),
        ),
      },
    ],
  };
};

function panelTitle(task: TaskResult): string {
  return `${task.name} (R² = ${fixed(task.fit.r2, 2)})`;
}

function panelSubtitle(task: TaskResult): string {
  if (task.published === null) return `reproduced: ${task.reproduced} (no published label)`;
  if (task.published === task.reproduced) return `${task.reproduced} (published and reproduced)`;
  return `reproduced: ${task.reproduced}, published: ${task.published}`;
}

function panelSpec(doc: Reproduction, task: TaskResult, points: Point[], corpora: string[], sizes: string[], models: ModelRow[]): TopLevelSpec {
  const xs = points.map((p) => p.x);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const { epsilon, k, gamma } = task.fit;
  const curve = Array.from({ length: CURVE_SAMPLES }, (_, i) => {
    const x = CURVE_SAMPLES === 1 ? lo : lo + ((hi - lo) * i) / (CURVE_SAMPLES - 1);
    return { x: round(x, 4), error: round(epsilon - k * Math.exp(-gamma * x), 4) };
  });
  // Per task only the model's row number, x and error; the models' details come from one table that
  // every panel shares (report.html stores repeated parts once).
  const row = new Map(models.map((m) => [m.model, m.i]));
  const values = [...points].sort((a, b) => a.x - b.x || compareText(a.model, b.model)).map((p) => ({ i: row.get(p.model)!, x: round(p.x, 4), error: round(p.error, 4) }));
  const differs = task.published !== null && task.published !== task.reproduced;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: panelTitle(task), subtitle: panelSubtitle(task), limit: 380, subtitleColor: differs ? DIFFERS_COLOUR : '#555555', fontSize: 12 },
    width: 220,
    height: 150,
    datasets: { models },
    layer: [
      {
        data: { values },
        transform: [{ lookup: 'i', from: { data: { name: 'models' }, key: 'i', fields: ['model', 'corpus', 'size', 'params', 'tokens'] } }],
        mark: { type: 'point', filled: true, size: 30, opacity: 0.75 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: `loss on ${doc.x}`, scale: { zero: false, nice: false, padding: 6 } },
          y: { field: 'error', type: 'quantitative', title: 'task error', scale: { zero: false, padding: 6 } },
          color: { field: 'corpus', type: 'nominal', title: 'corpus', scale: { domain: corpora, range: CORPUS_COLOURS.slice(0, Math.max(1, corpora.length)) }, legend: { orient: 'right', symbolSize: 40, labelLimit: 110 } },
          shape: { field: 'size', type: 'nominal', title: 'parameters', scale: { domain: sizes, range: SIZE_SHAPES.slice(0, Math.max(1, sizes.length)) }, legend: { orient: 'right', symbolSize: 40, symbolFillColor: '#666666', symbolStrokeColor: '#666666' } },
          tooltip: [
            { field: 'model', title: 'model' },
            { field: 'params', title: 'parameters' },
            { field: 'tokens', title: 'tokens' },
            { field: 'corpus', title: 'corpus' },
            { field: 'x', title: `loss on ${doc.x}` },
            { field: 'error', title: 'task error' },
          ],
        },
      },
      {
        data: { values: curve },
        mark: { type: 'line', color: '#222222', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'error', type: 'quantitative' },
        },
      },
    ],
    config: CHART_CONFIG,
  };
}

interface ModelRow {
  /** Row number, the key the panels look models up by. */
  i: number;
  model: string;
  corpus: string;
  size: string;
  params: string;
  tokens: string;
}

/** One row per model of the study (the same for every task), sorted by model id. */
function modelTable(points: Point[], sizeLabel: (params: number | null) => string, corpusLabel: (corpus: string) => string): ModelRow[] {
  const rows = new Map<string, ModelRow>();
  for (const p of points) {
    if (rows.has(p.model)) continue;
    rows.set(p.model, { i: 0, model: p.model, corpus: corpusLabel(p.corpus), size: sizeLabel(p.params), params: p.params === null ? 'unknown' : si(p.params), tokens: p.tokens === null ? 'unknown' : si(p.tokens) });
  }
  return [...rows.values()].sort((a, b) => compareText(a.model, b.model)).map((row, i) => ({ ...row, i }));
}

/**
 * Colour groups for corpora: every corpus when there are no more than there are colours; else the
 * corpora with the most models keep a colour and the rest share one "other" group (each model's
 * name stays in the tooltip), so a legend never runs past what a reader can match by colour.
 */
export function corpusLabeller(points: Point[]): { domain: string[]; label: (corpus: string) => string } {
  const models = new Map<string, Set<string>>();
  for (const p of points) models.set(p.corpus, (models.get(p.corpus) ?? new Set()).add(p.model));
  const distinct = [...models.keys()].sort(compareText);
  if (distinct.length <= CORPUS_COLOURS.length) return { domain: distinct, label: (corpus) => corpus };
  const kept = [...distinct].sort((a, b) => models.get(b)!.size - models.get(a)!.size || compareText(a, b)).slice(0, CORPUS_COLOURS.length - 1);
  const other = `${distinct.length - kept.length} other corpora`;
  const keptSet = new Set(kept);
  return { domain: [...kept.sort(compareText), other], label: (corpus) => (keptSet.has(corpus) ? corpus : other) };
}

/** Size labels: the distinct parameter counts when few, else decades ("100M–1B"); ordered smallest first. */
export function sizeLabeller(points: Point[]): { domain: string[]; label: (params: number | null) => string; binned: boolean } {
  const distinct = [...new Set(points.map((p) => p.params).filter((v): v is number => v !== null))].sort((a, b) => a - b);
  const hasUnknown = points.some((p) => p.params === null);
  const unknown = 'unknown';
  if (distinct.length <= MAX_NOMINAL_SIZES) {
    const labels = distinct.map(si);
    const unique = new Set(labels).size === labels.length;
    const label = (params: number | null): string => (params === null ? unknown : unique ? si(params) : String(params));
    return { domain: [...(unique ? labels : distinct.map(String)), ...(hasUnknown ? [unknown] : [])], label, binned: false };
  }
  const decade = (v: number): number => Math.floor(Math.log10(Math.max(v, 1)));
  const name = (d: number): string => `${si(10 ** d)}–${si(10 ** (d + 1))}`;
  const decades = [...new Set(distinct.map(decade))].sort((a, b) => a - b);
  return { domain: [...decades.map(name), ...(hasUnknown ? [unknown] : [])], label: (params) => (params === null ? unknown : name(decade(params))), binned: true };
}

/** k spans many orders of magnitude: four significant digits. */
function significant(value: number): string {
  if (value === 0) return '0';
  return Math.abs(value) >= 1e4 || Math.abs(value) < 1e-3 ? value.toExponential(3) : String(Number(value.toPrecision(4)));
}

/** Task ids are already [a-z0-9_.-]; anything else becomes "_". */
export function fileSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '_');
}
