/**
 * Writes the reproduction outputs: outputs/reproduction.json (for the study with published claims:
 * published beside reproduced, with agreement, in the documented top-level fields; and `studies`,
 * one entry per study of the registry) and outputs/tasks.csv (one row per study × task, tidy, with
 * the x each curve used and the numbers the rules read).
 * Floats are rounded to fixed decimals and keys sorted so two runs give identical bytes.
 */
import { join } from 'node:path';
import type { AnalysisConfig } from '../config/analysis-config.ts';
import { describeRule } from '../classify/rules.ts';
import { leaveOneTaskOut } from '../classify/calibrate.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import type { ClassifiedSet } from '../classify/classify-stage.ts';
import { INSUFFICIENT_DATA } from '../fit/fit-stage.ts';
import { BEHAVIOURS, type StudyMetadata } from '../ingest/types.ts';
import type { NormalizedStudy, XAxis } from '../normalize/normalize.ts';
import { formatCsv, formatSortedJson, round, writeFileAtomic } from '../util/files.ts';
import type { ClaimComparison, StudySummary } from './aggregate-stage.ts';
import { countBehaviours } from './aggregate-stage.ts';

/** Bibliographic details the report shows (contributed text: the report escapes it). */
function info(metadata: StudyMetadata) {
  return { title: metadata.title, authors: metadata.authors, year: metadata.year, venue: metadata.venue };
}

export function reproductionDocument(comparison: ClaimComparison, config: AnalysisConfig, xCanonical: string, studyMetadata: StudyMetadata) {
  const { summary, claims } = comparison;
  const published = claims.claims.headline;
  const replicates = summary.bootstrap.predictable.length;
  return {
    schemaVersion: 1,
    configVersion: config.version,
    study: summary.study,
    claims: claims.id,
    x: xCanonical,
    xSet: summary.set.axis.set?.id ?? summary.set.axis.id,
    studyInfo: info(studyMetadata),
    claimsInfo: info(claims.metadata),
    published: { predictable: published.count, total: published.total, fraction: round(published.count / published.total, 4), counts: countBehaviours(comparison.published) },
    reproduced: {
      predictable: summary.predictable,
      total: summary.total,
      fraction: round(summary.fraction, 4),
      ci95: summary.ci95.map((v) => round(v, 4)),
      // The interval's ends as counts of tasks (percentile of replicate counts, may be fractional), for exact percentages.
      ci95Count: summary.ci95.map((v) => round(v * summary.total, 4)),
      counts: summary.counts,
      bootstrap: {
        replicates,
        seed: config.bootstrap.seed,
        resampling: 'models with replacement, the same draw for every task; fit and rules re-run per replicate',
        covers: 'which models were trained and evaluated, with these tasks and these (calibrated) thresholds held fixed; not which tasks were chosen, nor how the thresholds were chosen',
      },
      // What a reader of "k of n tasks" expects: the uncertainty from having a finite set of tasks.
      taskInterval: {
        method: 'Wilson score interval on predictable/total',
        covers: 'the finite sample of tasks (as if the tasks were drawn from a larger population of tasks), labels held fixed',
        ci95: wilsonInterval(summary.predictable, summary.total).map((v) => round(v, 4)),
      },
    },
    agreement: {
      binary: { agree: comparison.binary.agree, total: comparison.binary.total, kappa: round(comparison.binary.kappa, 4), labels: comparison.binary.categories, matrix: comparison.binary.matrix },
      categories: { agree: comparison.categories.agree, total: comparison.categories.total, kappa: round(comparison.categories.kappa, 4), labels: comparison.categories.categories, matrix: comparison.categories.matrix },
      matrixRows: 'published',
      matrixColumns: 'reproduced',
    },
    leaveOneTaskOut: leaveOneOutAgreement(comparison, config),
    rules: config.rules.map((rule, i) => describeRule(rule, i + 1)),
    tasks: summary.set.curves.map((curve, i) => {
      const fit = curve.analysis.fit;
      const features = curve.analysis.features;
      const counts = summary.bootstrap.behaviourCounts[i]!;
      return {
        task: curve.task.id,
        name: curve.task.name,
        published: comparison.published[i] ?? null,
        reproduced: summary.set.classifications[i]!.behaviour,
        rule: summary.set.classifications[i]!.rule + 1,
        fit: { epsilon: round(fit.epsilon), k: round(fit.k), logK: round(fit.logK), gamma: round(fit.gamma), sse: round(fit.sse, 8), r2: round(fit.r2), n: fit.n },
        features: Object.fromEntries(Object.entries(features).map(([key, value]) => [key, round(value, 4)])),
        stability: Object.fromEntries(BEHAVIOURS.map((b) => [b, round(counts[b] / replicates, 4)])),
      };
    }),
  };
}

/**
 * Agreement when each task's thresholds are searched without it (classify/calibrate.ts), ties
 * averaged, so `agree` may be fractional. Recomputed here from this run's features and rules.
 */
function leaveOneOutAgreement(comparison: ClaimComparison, config: AnalysisConfig) {
  const { summary } = comparison;
  const labels = new Map(comparison.claims.claims.labels.map((label) => [label.task, label.behaviour]));
  const items = summary.set.curves.flatMap((curve) => {
    const published = labels.get(curve.task.id);
    return published ? [{ task: curve.task.id, features: curve.analysis.features, published }] : [];
  });
  const loo = leaveOneTaskOut(config.rules, items);
  return {
    binary: { agree: round(loo.binary, 4), total: loo.total },
    categories: { agree: round(loo.sixWay, 4), total: loo.total },
    tieBreak: loo.tieBreak,
  };
}

/** Which x a curve used: the axis id, the canonical id shared across studies, its unit. */
export function axisInfo(axis: XAxis) {
  return { axis: axis.id, canonical: axis.canonical, unit: axis.unit, ...(axis.set ? { set: axis.set.id } : {}) };
}

const MODEL_RESAMPLING = 'models with replacement, the same draw for every task; fit and rules re-run per replicate';
const RUN_RESAMPLING = 'runs with replacement (every usable checkpoint of a drawn run), the same draw for every task; fit and rules re-run per replicate';
const INDEPENDENCE_NOTE =
  'Several checkpoints per run: the features trendT, reversalZ and noise treat the points of a curve as independent, so they overstate how sure a trend or a reversal is; the interval, from resampling whole runs, does account for the clustering.';

/** What one study's curve set gives, whether or not the study has published claims. */
export interface StudyInput {
  study: NormalizedStudy;
  set: ClassifiedSet;
  /** Absent when no task of the study has enough data (nothing to resample). */
  summary?: StudySummary;
  comparison?: ClaimComparison;
}

/** One entry of reproduction.json's `studies`: the study's share, interval, counts, x, data used and every task. */
export function studyEntry({ study, set, summary, comparison }: StudyInput, config: AnalysisConfig) {
  const replicates = summary?.bootstrap.predictable.length ?? 0;
  const runs = set.nRuns;
  const level = study.metadata.observations?.level ?? 'model';
  const published = new Map((comparison?.claims.claims.labels ?? []).map((l) => [l.task, l.behaviour]));
  const fitted = new Map(set.curves.map((curve, i) => [curve.task.id, i]));
  const insufficient = new Map(set.insufficient.map((t) => [t.task.id, t]));
  return {
    study: study.id,
    claims: comparison?.claims.id ?? null,
    info: info(study.metadata),
    x: axisInfo(set.axis),
    level,
    checkpointRule: study.checkpointRule ? { ...study.checkpointRule } : null,
    runs,
    points: set.n,
    checkpoints: study.usable.ids.length,
    tasks: study.tasks.length,
    fitted: set.curves.length,
    predictable: summary?.predictable ?? 0,
    fraction: summary ? round(summary.fraction, 4) : null,
    ci95: summary ? summary.ci95.map((v) => round(v, 4)) : null,
    counts: countBehaviours(set.classifications.map((c) => c.behaviour)),
    bootstrap: { replicates, seed: config.bootstrap.seed, resampling: runs === set.n ? MODEL_RESAMPLING : RUN_RESAMPLING },
    ...(runs < set.n ? { note: INDEPENDENCE_NOTE } : {}),
    insufficientData: set.insufficient.map((t) => ({ task: t.task.id, name: t.task.name, points: t.nPoints, runs: t.nRuns, reason: t.reason })),
    taskResults: study.tasks.map((task) => {
      const i = fitted.get(task.id);
      if (i === undefined) {
        const t = insufficient.get(task.id)!;
        return { task: task.id, name: task.name, benchmark: task.benchmark, published: published.get(task.id) ?? null, label: INSUFFICIENT_DATA, rule: null, points: t.nPoints, runs: t.nRuns, reason: t.reason, fit: null, features: null, stability: null };
      }
      const curve = set.curves[i]!;
      const fit = curve.analysis.fit;
      const counts = summary!.bootstrap.behaviourCounts[i]!;
      return {
        task: task.id,
        name: task.name,
        benchmark: task.benchmark,
        published: published.get(task.id) ?? null,
        label: set.classifications[i]!.behaviour,
        rule: set.classifications[i]!.rule + 1,
        points: curve.nPoints,
        runs: curve.nRuns,
        reason: null,
        fit: { epsilon: round(fit.epsilon), k: round(fit.k), logK: round(fit.logK), gamma: round(fit.gamma), sse: round(fit.sse, 8), r2: round(fit.r2), n: fit.n },
        features: Object.fromEntries(Object.entries(curve.analysis.features).map(([key, value]) => [key, round(value, 4)])) as Record<string, number>,
        stability: Object.fromEntries([...BEHAVIOURS.map((b) => [b, round(counts[b] / replicates, 4)]), [INSUFFICIENT_DATA, round(summary!.bootstrap.insufficient[i]! / replicates, 4)]]) as Record<string, number>,
      };
    }),
  };
}

export type StudyEntry = ReturnType<typeof studyEntry>;

/** outputs/tasks.csv: one row per study × task, tidy (a task without enough data has its reason and no fit). */
export function tasksCsv(entries: readonly StudyEntry[]): string {
  const featureNames = [...new Set(entries.flatMap((e) => e.taskResults.flatMap((t) => Object.keys(t.features ?? {}))))].filter((name) => name !== 'r2');
  const header = [
    'study', 'x', 'x_canonical', 'x_unit', 'task', 'name', 'benchmark', 'n_points', 'n_runs', 'published', 'label', 'rule', 'reason',
    'epsilon', 'k', 'log_k', 'gamma', 'sse', 'r2', 'n', ...featureNames.map(snake), ...[...BEHAVIOURS, INSUFFICIENT_DATA].map((b) => `share_${snake(b)}`),
  ];
  const rows = entries.flatMap((e) =>
    e.taskResults.map((t) => [
      e.study, e.x.axis, e.x.canonical, e.x.unit, t.task, t.name, t.benchmark, t.points, t.runs, t.published, t.label, t.rule, t.reason,
      t.fit?.epsilon ?? null, t.fit?.k ?? null, t.fit?.logK ?? null, t.fit?.gamma ?? null, t.fit?.sse ?? null, t.fit?.r2 ?? null, t.fit?.n ?? null,
      ...featureNames.map((f) => (t.features?.[f] as number | undefined) ?? null),
      ...[...BEHAVIOURS, INSUFFICIENT_DATA].map((b) => (t.stability?.[b] as number | undefined) ?? null),
    ]),
  );
  return formatCsv(header, rows);
}

/**
 * reproduction.json: the headline study's documented fields (when a study has published claims),
 * and `studies` beside them; tasks.csv across every study.
 */
export function writeReproduction(outputsDir: string, headline: ReturnType<typeof reproductionDocument> | undefined, entries: readonly StudyEntry[]): string[] {
  const files = [join(outputsDir, 'reproduction.json'), join(outputsDir, 'tasks.csv')];
  writeFileAtomic(files[0]!, formatSortedJson({ ...(headline ?? { schemaVersion: 1 }), studies: entries }));
  writeFileAtomic(files[1]!, tasksCsv(entries));
  return files;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/ /g, '_');
}
