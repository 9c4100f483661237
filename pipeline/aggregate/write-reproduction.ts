/**
 * Writes the reproduction outputs: outputs/reproduction.json (published beside reproduced, with
 * agreement) and outputs/tasks.csv (one row per task, the numbers the rules used).
 * Floats are rounded to fixed decimals and keys sorted so two runs give identical bytes.
 */
import { join } from 'node:path';
import type { AnalysisConfig } from '../classify/config.ts';
import { describeRule } from '../classify/rules.ts';
import { leaveOneTaskOut } from '../classify/calibrate.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import { BEHAVIOURS, type StudyMetadata } from '../ingest/types.ts';
import { formatCsv, formatSortedJson, round, writeFileAtomic } from '../util/files.ts';
import type { ClaimComparison } from './aggregate-stage.ts';
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
    xSet: summary.set.x.id,
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

export function tasksCsv(document: ReturnType<typeof reproductionDocument>): string {
  // r2 is already a fit column.
  const featureNames = Object.keys(document.tasks[0]?.features ?? {}).filter((name) => name !== 'r2');
  const header = ['task', 'name', 'published', 'reproduced', 'rule', 'epsilon', 'k', 'log_k', 'gamma', 'sse', 'r2', 'n', ...featureNames.map(snake), ...BEHAVIOURS.map((b) => `share_${b}`)];
  const rows = document.tasks.map((t) => [
    t.task, t.name, t.published, t.reproduced, t.rule, t.fit.epsilon, t.fit.k, t.fit.logK, t.fit.gamma, t.fit.sse, t.fit.r2, t.fit.n,
    ...featureNames.map((f) => t.features[f] as number),
    ...BEHAVIOURS.map((b) => t.stability[b] as number),
  ]);
  return formatCsv(header, rows);
}

export function writeReproduction(outputsDir: string, document: ReturnType<typeof reproductionDocument>): string[] {
  const files = [join(outputsDir, 'reproduction.json'), join(outputsDir, 'tasks.csv')];
  writeFileAtomic(files[0]!, formatSortedJson(document));
  writeFileAtomic(files[1]!, tasksCsv(document));
  return files;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
