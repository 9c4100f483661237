/**
 * Small multiples like Figs. 5–10 of Lourie et al.: one faceted Vega-Lite chart per behaviour, one
 * panel per task, one legend for the whole grid, a shared x axis. Each panel shows the evidence for
 * its label: the fitted exponential always, and the feature that decided the label —
 * a ± sampling-noise band (trendless, noisy, predictable), the monotone fit (breakthrough), the
 * straight-line trend (inverse) and the binned means whose rise and fall is the reversal
 * (nonmonotonic). Everything drawn is recomputed here from points.csv and the fitted parameters,
 * with the same functions the classify stage uses.
 */
import type { TopLevelSpec } from 'vega-lite';
import { behaviourLabel, behaviourRule, labels } from '../classify/labels.ts';
import { binCurve } from '../fit/reversal.ts';
import { fitIsotonicIncreasing } from '../fit/isotonic.ts';
import { fitLine } from '../fit/linear.ts';
import { round } from '../util/files.ts';
import { compareText, fixed } from './format.ts';
import type { Point, TaskResult } from './reproduction.ts';
import { capitalize, CHART_CONFIG, CORPUS_COLOURS, SIZE_SHAPES, TEXT_COLUMN_WIDTH } from './theme.ts';

/** Points on each drawn curve. */
export const CURVE_SAMPLES: number = 60;
/** Panels per row, and each panel's plot width: the grid spans the report's text column. */
export const GRID_COLUMNS = 5;
export const PANEL_WIDTH = Math.floor(TEXT_COLUMN_WIDTH / GRID_COLUMNS) - 64;
export const PANEL_HEIGHT = 110;

/** The evidence curves, in legend order, with their dash pattern. */
const CURVES = [
  { id: 'fitted exponential', dash: [1, 0] },
  { id: 'monotone fit', dash: [6, 3] },
  { id: 'straight line', dash: [2, 2] },
  { id: 'binned means', dash: [1, 0] },
] as const;
type CurveId = (typeof CURVES)[number]['id'];

/** What each behaviour's panels add to the fitted exponential. */
const EVIDENCE: Record<string, { band: boolean; curves: CurveId[] }> = {
  predictable: { band: true, curves: [] },
  breakthrough: { band: false, curves: ['monotone fit'] },
  inverse: { band: false, curves: ['straight line'] },
  nonmonotonic: { band: false, curves: ['binned means'] },
  noisy: { band: true, curves: [] },
  trendless: { band: true, curves: ['straight line'] },
};

export interface GridOptions {
  study: string;
  /** What x is, for the axis title ("loss on c4-validation"). */
  xTitle: string;
  /** Colour groups of corpora, and the group of one corpus (see corpusLabeller). */
  corpora: string[];
  corpusOf: (corpus: string) => string;
  sizes: string[];
  /** Size label of a model's parameter count. */
  sizeOf: (params: number | null) => string;
  reversal: { bins: number; minPointsPerBin: number };
}

/** The evidence the panels of one behaviour show, in words (for the chart subtitle and the report text). */
export function evidenceInWords(behaviour: string): string {
  const evidence = EVIDENCE[behaviour] ?? { band: false, curves: [] };
  const parts = ['black line: fitted exponential'];
  if (evidence.band) parts.push(`grey band: ${labels().terms['sampling noise band']?.label ?? '± sampling noise'} around it`);
  for (const curve of evidence.curves) parts.push(curve === 'binned means' ? 'diamonds: binned means ± standard error' : `dashed: ${curve}`);
  return parts.join('; ');
}

/**
 * A horizontal legend of more entries than fit beside the others wraps into rows of `columns`, so
 * it never widens the grid beyond the text column. A long name keeps its start and its end (release
 * ids often differ only in a suffix); the tooltip still gives it whole.
 */
function wrappedLegend(entries: number, columns = 4): { legend?: { columns: number; labelExpr: string } } {
  const keep = 11;
  const shortened = `length(datum.label) > ${2 * keep + 2} ? slice(datum.label, 0, ${keep}) + '…' + slice(datum.label, -${keep}) : datum.label`;
  return entries > columns ? { legend: { columns, labelExpr: shortened } } : {};
}

/** One faceted chart of every task of one behaviour. */
export function taskGridSpec(behaviour: string, tasks: readonly TaskResult[], pointsByTask: ReadonlyMap<string, Point[]>, options: GridOptions): TopLevelSpec {
  const evidence = EVIDENCE[behaviour] ?? { band: false, curves: [] };
  const values: Record<string, unknown>[] = [];
  const ordered = [...tasks].sort((a, b) => compareText(a.name, b.name) || compareText(a.task, b.task));
  ordered.forEach((task, order) => {
    const points = [...(pointsByTask.get(task.task) ?? [])].sort((a, b) => a.x - b.x || compareText(a.model, b.model));
    if (points.length === 0) return;
    const panel = panelLabel(task);
    // Rows are written out in full, not as { ...base, … }: V8 gives every object made by a spread
    // followed by more properties a shape of its own, and vega then handles ~100,000 shapes.
    for (const p of points) values.push({ panel, order, kind: 'point', x: round(p.x, 4), error: round(p.error, 4), model: p.model, corpus: options.corpusOf(p.corpus), size: options.sizeOf(p.params) });
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.error);
    const lo = xs[0]!;
    const hi = xs[xs.length - 1]!;
    const { epsilon, k, gamma } = task.fit;
    const noise = task.features.noise;
    for (let i = 0; i < CURVE_SAMPLES; i++) {
      const x = CURVE_SAMPLES === 1 ? lo : lo + ((hi - lo) * i) / (CURVE_SAMPLES - 1);
      const y = epsilon - k * Math.exp(-gamma * x);
      values.push({ panel, order, kind: 'curve', curve: 'fitted exponential', x: round(x, 4), error: round(y, 4) });
      if (evidence.band && noise !== undefined && Number.isFinite(noise)) values.push({ panel, order, kind: 'band', x: round(x, 4), low: round(y - noise, 4), high: round(y + noise, 4) });
    }
    if (evidence.curves.includes('monotone fit')) {
      const fitted = fitIsotonicIncreasing(ys).fitted;
      points.forEach((p, i) => values.push({ panel, order, kind: 'curve', curve: 'monotone fit', x: round(p.x, 4), error: round(fitted[i]!, 4) }));
    }
    if (evidence.curves.includes('straight line') && points.length >= 3) {
      const line = fitLine(xs, ys);
      for (const x of [lo, hi]) values.push({ panel, order, kind: 'curve', curve: 'straight line', x: round(x, 4), error: round(line.intercept + line.slope * x, 4) });
    }
    if (evidence.curves.includes('binned means')) {
      for (const bin of binCurve(xs, ys, noise ?? 0, options.reversal)) {
        values.push({ panel, order, kind: 'bin', x: round((bin.xLow + bin.xHigh) / 2, 4), error: round(bin.mean, 4), low: round(bin.mean - bin.standardError, 4), high: round(bin.mean + bin.standardError, 4), models: bin.count });
      }
    }
  });
  const curves = CURVES.filter((c) => c.id === 'fitted exponential' || evidence.curves.includes(c.id));
  const x = { field: 'x', type: 'quantitative' as const, title: options.xTitle, scale: { zero: false, nice: false, padding: 4 }, axis: { tickCount: 4, labelFlush: true, titleLimit: PANEL_WIDTH } };
  // Each panel has its own error scale; the axis title is said once, in the subtitle, instead of in every panel.
  const y = { field: 'error', type: 'quantitative' as const, title: null, scale: { zero: false, padding: 4 }, axis: { tickCount: 4, format: '.2~f', minExtent: 30 } };
  const only = (kind: string) => ({ filter: `datum.kind === '${kind}'` });
  const layer: unknown[] = [];
  if (evidence.band) layer.push({ transform: [only('band')], mark: { type: 'area', color: '#bdbdbd', opacity: 0.45 }, encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' } } });
  layer.push({
    transform: [only('point')],
    mark: { type: 'point', filled: true, size: 22, opacity: 0.75 },
    encoding: {
      x,
      y,
      color: { field: 'corpus', type: 'nominal', title: 'pretraining corpus', scale: { domain: options.corpora, range: CORPUS_COLOURS.slice(0, Math.max(1, options.corpora.length)) }, ...wrappedLegend(options.corpora.length, 2) },
      shape: { field: 'size', type: 'nominal', title: 'parameters', scale: { domain: options.sizes, range: SIZE_SHAPES.slice(0, Math.max(1, options.sizes.length)) }, legend: { symbolFillColor: '#666666', symbolStrokeColor: '#666666', ...wrappedLegend(options.sizes.length).legend } },
      tooltip: [
        { field: 'panel', title: 'task' },
        { field: 'model', title: 'model' },
        { field: 'size', title: 'parameters' },
        { field: 'corpus', title: 'corpus' },
        { field: 'x', title: options.xTitle },
        { field: 'error', title: 'task error' },
      ],
    },
  });
  layer.push({
    transform: [only('curve')],
    mark: { type: 'line', color: '#222222', strokeWidth: 1.4 },
    encoding: {
      x,
      y,
      detail: { field: 'curve' },
      strokeDash: { field: 'curve', type: 'nominal', title: 'curve', scale: { domain: curves.map((c) => c.id), range: curves.map((c) => [...c.dash]) } },
    },
  });
  if (evidence.curves.includes('binned means')) {
    layer.push({ transform: [only('bin')], mark: { type: 'rule', color: '#222222' }, encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' } } });
    layer.push({
      transform: [only('bin')],
      mark: { type: 'point', shape: 'diamond', filled: true, color: '#222222', size: 40 },
      encoding: { x, y, tooltip: [{ field: 'panel', title: 'task' }, { field: 'x', title: 'bin centre' }, { field: 'error', title: 'mean error' }, { field: 'models', title: 'models' }] },
    });
  }
  const n = ordered.length;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${capitalize(behaviourLabel(behaviour))} (${n} task${n === 1 ? '' : 's'} of ${options.study}): ${behaviourRule(behaviour)}`,
      subtitle: [`y: task error (1 − accuracy), each panel on its own scale; x: ${options.xTitle}, shared.`, `Points: models (colour: corpus, shape: size); ${evidenceInWords(behaviour)}.`],
      limit: TEXT_COLUMN_WIDTH,
    },
    data: { values },
    facet: {
      field: 'panel',
      type: 'nominal',
      title: null,
      sort: { field: 'order', op: 'min' },
      header: { labelExpr: "split(datum.value, '|')", labelFontSize: 11, labelLimit: PANEL_WIDTH + 24, labelAnchor: 'start', labelPadding: 4 },
    },
    columns: GRID_COLUMNS,
    // Every panel in the same grid cell, so columns line up like a paper's figure.
    align: 'all',
    spec: { width: PANEL_WIDTH, height: PANEL_HEIGHT, layer },
    resolve: { scale: { y: 'independent' } },
    config: { ...CHART_CONFIG, legend: { ...CHART_CONFIG.legend, orient: 'top', direction: 'horizontal', symbolSize: 40 }, facet: { spacing: 14 } },
  } as TopLevelSpec;
}

/** "ARC-Easy|R² = 0.97", and the published label on the second line where it differs. */
function panelLabel(task: TaskResult): string {
  const differs = task.published !== null && task.published !== task.reproduced;
  return `${task.name.replace(/\|/g, '/')}|R² = ${fixed(task.fit.r2, 2)}${differs ? `|published: ${behaviourLabel(task.published!)}` : ''}`;
}
