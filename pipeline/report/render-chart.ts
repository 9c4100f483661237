/**
 * Chart rendering: Vega-Lite → Vega (vega-lite's compile) → SVG (vega's headless View, no DOM).
 * PNGs are made from the SVGs only on demand (./render-png.ts). Synchronous, so the report can be rendered from synchronous pipeline code:
 * with inline data (no loading, no images) a View evaluates its whole dataflow inside `run()`, and
 * the SVG string renderer draws the scene graph in one call. test/report/render-chart.test.ts checks
 * that this gives the same SVG as vega's own asynchronous `toSVG()`.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { useDejaVuMetrics } from './text-metrics.ts';

export type VegaSpec = vega.Spec;

/**
 * Vega-Lite says this of every chart with a step height drawn with autosize "fit-x", although it
 * only ever fits x there: the chart is as intended, so the line would be noise in every run's log.
 */
const EXPECTED_WARNING = 'Dropping "fit-y" because spec has discrete height.';

/** Vega-Lite → Vega; vega-lite's warnings go to `warn` instead of the console. */
export function compileChart(spec: TopLevelSpec, warn: (message: string) => void = () => {}): VegaSpec {
  const forward =
    (level: string) =>
    (...args: unknown[]): void => {
      const message = args.map(String).join(' ');
      if (message !== EXPECTED_WARNING) warn(`${level}: ${message}`);
    };
  const logger = { level: () => logger, error: forward('error'), warn: forward('warning'), info: () => logger, debug: () => logger } as unknown as vega.LoggerInterface;
  return compile(guardTitles(spec) as TopLevelSpec, { logger }).spec;
}

/**
 * Vega resolves some text through plain-object lookups, so a title that is exactly the name of an
 * Object.prototype member (a task or benchmark called "constructor") fails with "Operator not
 * defined". Such a title gets a zero-width space appended: it renders the same and stays text.
 */
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
const TITLE_KEYS = new Set(['title', 'text', 'subtitle']);

function guardTitles(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return TITLE_KEYS.has(key) && PROTOTYPE_NAMES.has(value) ? `${value}\u200B` : value;
  if (Array.isArray(value)) return value.map((item) => guardTitles(item, key));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === 'data' ? v : guardTitles(v, k);
  return out;
}

/** Vega's internal layout state, read only to size the SVG exactly as View.toSVG() does. */
interface ViewLayout {
  _viewWidth: number;
  _viewHeight: number;
  _origin: [number, number];
}

/** A function vega compiled from expression text, and what it is compiled from. */
type CompiledExpression = (...args: unknown[]) => unknown;
interface ExpressionScope {
  functions?: object;
}
interface ExpressionCode {
  code: string;
}
interface EncodeCode {
  marktype: string;
  channels: Record<string, ExpressionCode>;
}
/** vega-runtime's expression code generator (the View option `expr`). */
interface ExpressionCodegen {
  operator(scope: ExpressionScope, expr: ExpressionCode): CompiledExpression;
  parameter(scope: ExpressionScope, expr: ExpressionCode): CompiledExpression;
  event(scope: ExpressionScope, expr: ExpressionCode): CompiledExpression;
  handler(scope: ExpressionScope, expr: ExpressionCode): CompiledExpression;
  encode(scope: ExpressionScope, encode: EncodeCode): CompiledExpression;
  codegen: unknown;
}

/**
 * Vega compiles every expression of a chart (encoders, label formats, signals) with `new Function`
 * when the chart's View is made, and most of those texts recur from chart to chart. This generator
 * compiles each text once and binds the one function to each View's function table, as vega's own
 * does, so V8 parses and optimises it once. A function made from text has no closure: sharing it
 * carries nothing from one chart to the next.
 */
function sharedExpressionCodegen(): ExpressionCodegen {
  // vega's own generator, from a context made without one (runtimeContext is vega's public export).
  const makeContext = (vega as unknown as { runtimeContext: (dataflow: object, transforms: object, functions?: object) => { expr: ExpressionCodegen } }).runtimeContext;
  const base = makeContext({ events: () => undefined }, {}).expr;
  const compiled = new Map<string, CompiledExpression>();
  const share = (key: string, scope: ExpressionScope, compile: () => CompiledExpression): CompiledExpression => {
    let fn = compiled.get(key);
    if (fn === undefined) compiled.set(key, (fn = compile()));
    return fn.bind(scope.functions);
  };
  const byCode =
    (kind: 'operator' | 'parameter' | 'event' | 'handler') =>
    (scope: ExpressionScope, expr: ExpressionCode): CompiledExpression =>
      // Without a function table vega returns the function itself, which callers may annotate: not shared.
      scope?.functions ? share(`${kind}\u0000${expr.code}`, scope, () => base[kind]({}, expr)) : base[kind](scope, expr);
  return {
    operator: byCode('operator'),
    parameter: byCode('parameter'),
    event: byCode('event'),
    handler: byCode('handler'),
    encode: (scope, encode) => {
      if (!scope?.functions) return base.encode(scope, encode);
      // The generated code follows the channels in this order, and depends on the mark type.
      let key = `encode\u0000${encode.marktype}`;
      for (const name in encode.channels) key += `\u0000${name}\u0000${encode.channels[name]!.code}`;
      return share(key, scope, () => base.encode({}, encode));
    },
    codegen: base.codegen,
  };
}

let expressionCodegen: ExpressionCodegen | undefined;

/** SVG of a compiled Vega spec; throws on any error or warning vega logs. */
export function renderSvg(spec: VegaSpec): string {
  useDejaVuMetrics();
  const problems: string[] = [];
  const record =
    (level: string) =>
    (...args: unknown[]): void => {
      problems.push(`${level}: ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')}`);
    };
  const logger = { level: () => logger, error: record('error'), warn: record('warning'), info: () => logger, debug: () => logger } as unknown as vega.LoggerInterface;
  expressionCodegen ??= sharedExpressionCodegen();
  const view = new vega.View(vega.parse(spec), { renderer: 'none', logger, logLevel: vega.Warn, expr: expressionCodegen } as vega.ViewOptions);
  try {
    view.run();
    if (problems.length > 0) throw new Error(`vega: ${problems.join('; ')}`);
    const layout = view as unknown as ViewLayout;
    const padding = view.padding() as { left: number; right: number; top: number; bottom: number };
    const width = Math.max(0, layout._viewWidth + padding.left + padding.right);
    const height = Math.max(0, layout._viewHeight + padding.top + padding.bottom);
    const origin = [padding.left + layout._origin[0], padding.top + layout._origin[1]];
    const Renderer = (vega as unknown as { SVGStringRenderer: new (loader: unknown) => SvgStringRenderer }).SVGStringRenderer;
    const renderer = new Renderer(view.loader()).initialize(null, width, height, origin).background(view.background());
    renderer.render((view.scenegraph() as unknown as { root: unknown }).root);
    return normalizeSvgIds(renderer.svg());
  } finally {
    view.finalize();
  }
}

/**
 * A finished View stays referenced by vega's pending promise jobs until the microtask queue drains:
 * await this after each chart drawn in a loop, or every chart's dataflow (~200 MB for the registry)
 * stays in memory.
 */
export function releaseFinishedViews(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface SvgStringRenderer {
  initialize(el: null, width: number, height: number, origin: number[]): SvgStringRenderer;
  background(colour: unknown): SvgStringRenderer;
  render(scene: unknown): SvgStringRenderer;
  svg(): string;
}

/**
 * Vega numbers gradients, clip paths and patterns with process-wide counters, so the same chart can
 * get different ids depending on what was drawn before it. Renumber them per SVG, in order of
 * appearance, so a chart's SVG depends on its spec alone.
 */
export function normalizeSvgIds(svg: string): string {
  // Most charts have no ids at all: a plain search says so far faster than the pattern below.
  if (!svg.includes('id="')) return svg;
  const renamed = new Map<string, string>();
  const perPrefix = new Map<string, number>();
  for (const match of svg.matchAll(/\sid="([A-Za-z_-]+?)(\d+)"/g)) {
    const [, prefix, ] = match;
    const old = `${prefix}${match[2]}`;
    if (renamed.has(old)) continue;
    const n = perPrefix.get(prefix!) ?? 0;
    perPrefix.set(prefix!, n + 1);
    renamed.set(old, `${prefix}${n}`);
  }
  if (renamed.size === 0) return svg;
  return svg.replace(/(\sid="|url\(#|href="#)([A-Za-z_-]+?\d+)(?=[")])/g, (whole, lead: string, id: string) => {
    const next = renamed.get(id);
    return next === undefined ? whole : `${lead}${next}`;
  });
}
