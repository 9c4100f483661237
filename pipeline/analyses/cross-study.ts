/**
 * Cross-study comparison (beyond Lourie et al. 2025 §5): does the same benchmark get the same
 * behaviour in two studies with different model families, harnesses and prompt formats?
 *
 * Every study that has the configured canonical validation set (config.x.canonical, C4 validation)
 * is classified on it with the same fit and rules as the headline (its usable rows: final models, or
 * the checkpoints its rule allows; tasks with too little data are left out). For every
 * pair of such studies and every canonical benchmark both evaluate, one row per pair of their
 * tasks measuring it. A pair is `preferred` when its shot counts differ least among that
 * benchmark's pairs (ties all kept), and `comparable` unless one side has a known harness defect
 * (KNOWN_ISSUES, flagged in `note`). The headline count uses preferred, comparable pairs.
 * For N studies: `labels` gives every task of every benchmark that at least two studies have, with
 * its label on the study's own headline x (every study of the registry, whatever its x: the
 * benchmark × study matrix), and `agreement` sums up, per pair of studies and over all pairs, how
 * often the preferred, comparable pairs on the canonical set agree (six behaviours and
 * predictable-or-not, with Cohen's κ).
 */
import { join } from 'node:path';
import type { AnalysisConfig } from '../config/analysis-config.ts';
import { classify } from '../classify/rules.ts';
import { predictExponential, type ExponentialFit } from '../fit/exponential.ts';
import { agreement } from '../aggregate/agreement.ts';
import { fitCurveSet, headlineAxis, type CurveSet } from '../fit/fit-stage.ts';
import { thinned } from '../fit/write-points.ts';
import { BEHAVIOURS } from '../ingest/types.ts';
import type { Behaviour, TaskMetadata, ValidationSetMetadata } from '../ingest/types.ts';
import { lossAxis, lossAxisId, validationSetByCanonical, type Dataset, type NormalizedStudy } from '../normalize/normalize.ts';
import { formatCsv, round, writeFileAtomic } from '../util/files.ts';
import { groupBy } from '../util/group.ts';
import { knownRows } from './common.ts';

/** A benchmark whose scores from a given harness version are known to be wrong. */
export interface KnownIssue {
  harness: string;
  /** Omitted: every version. */
  version?: string;
  benchmark: string;
  note: string;
}

export const KNOWN_ISSUES: readonly KnownIssue[] = Object.freeze([
  {
    harness: 'LLM Foundry',
    version: 'v0.4.0',
    benchmark: 'siqa',
    note: 'SIQA gold labels were wrong in LLM Foundry v0.4.0, the harness of this study, so its SIQA scores do not measure the task; excluded from the agreement count',
  },
]);

export function knownIssue(study: NormalizedStudy, task: TaskMetadata): KnownIssue | undefined {
  const harness = study.metadata.harness;
  if (!harness) return undefined;
  return KNOWN_ISSUES.find((issue) => issue.benchmark === task.benchmark && issue.harness === harness.name && (issue.version === undefined || issue.version === harness.version));
}

export interface ClassifiedTask {
  study: string;
  xSet: ValidationSetMetadata;
  task: TaskMetadata;
  behaviour: Behaviour;
  r2: number;
  n: number;
  fit: ExponentialFit;
}

export interface CrossStudyRow {
  benchmark: string;
  a: ClassifiedTask;
  b: ClassifiedTask;
  sameBehaviour: boolean;
  /** The pair's shot counts differ least among this benchmark's pairs of the two studies. */
  preferred: boolean;
  /** Neither side has a known harness defect. */
  comparable: boolean;
  note: string;
}

export interface CrossStudyPoint {
  benchmark: string;
  study: string;
  task: string;
  xSet: string;
  model: string;
  x: number;
  error: number;
  fitted: number;
}

/** One task of a benchmark that at least two studies classified, with its label on its study's headline x. */
export interface CrossStudyLabel {
  benchmark: string;
  study: string;
  task: TaskMetadata;
  /** The headline x's id ('loss:c4_val', 'log-compute', …). */
  x: string;
  behaviour: Behaviour;
  r2: number;
  n: number;
}

/** Agreement of preferred, comparable pairs between two studies (or over every pair: study_a = study_b = 'all'). */
export interface CrossStudyAgreement {
  studyA: string;
  studyB: string;
  pairs: number;
  benchmarks: number;
  agree: number;
  kappa: number;
  agreeBinary: number;
  kappaBinary: number;
}

export interface CrossStudyResult {
  canonical: string;
  rows: CrossStudyRow[];
  labels: CrossStudyLabel[];
  agreement: CrossStudyAgreement[];
  /** The points of every task in a preferred pair (thinned to at most 300 when it has many checkpoints), with its fitted curve. */
  points: CrossStudyPoint[];
}

/** Classify every task of `study` on its validation set with canonical id `canonical` (undefined when it has none). */
export function classifyOnCanonical(study: NormalizedStudy, canonical: string, config: AnalysisConfig, fitted: readonly CurveSet[] = []): Map<string, ClassifiedTask> | undefined {
  const xSet = validationSetByCanonical(study, canonical);
  if (!xSet) return undefined;
  // The fit stage has usually fitted this set already (same rows, same axis): reuse it.
  const set = fitted.find((s) => s.study === study.id && s.axis.id === lossAxisId(xSet.id)) ?? fitCurveSet(study, lossAxis(xSet), config);
  return new Map(
    set.curves.map((curve) => [
      curve.task.id,
      { study: study.id, xSet, task: curve.task, behaviour: classify(curve.analysis.features, config.rules).behaviour, r2: curve.analysis.fit.r2, n: curve.nPoints, fit: curve.analysis.fit },
    ]),
  );
}

export function crossStudy(dataset: Dataset, config: AnalysisConfig, fitted: readonly CurveSet[] = []): CrossStudyResult {
  const canonical = config.x.canonical;
  const classified = new Map<string, Map<string, ClassifiedTask>>();
  for (const study of dataset.studies) {
    const tasks = classifyOnCanonical(study, canonical, config, fitted);
    if (tasks) classified.set(study.id, tasks);
  }
  const studies = dataset.studies.filter((s) => classified.has(s.id));
  const rows: CrossStudyRow[] = [];
  const benchmarks = [...dataset.benchmarkAliases.keys()].sort();
  for (let i = 0; i < studies.length; i++) {
    for (let j = i + 1; j < studies.length; j++) {
      const studyA = studies[i]!;
      const studyB = studies[j]!;
      for (const benchmark of benchmarks) {
        const tasksA = studyA.tasks.filter((t) => t.benchmark === benchmark);
        const tasksB = studyB.tasks.filter((t) => t.benchmark === benchmark);
        if (tasksA.length === 0 || tasksB.length === 0) continue;
        let closest = Infinity;
        for (const ta of tasksA) for (const tb of tasksB) closest = Math.min(closest, Math.abs(ta.shots - tb.shots));
        for (const ta of tasksA) {
          for (const tb of tasksB) {
            const a = classified.get(studyA.id)!.get(ta.id);
            const b = classified.get(studyB.id)!.get(tb.id);
            if (!a || !b) continue;
            const issues = [knownIssue(studyA, ta), knownIssue(studyB, tb)];
            const notes = issues.map((issue, k) => (issue ? `${k === 0 ? studyA.id : studyB.id}: ${issue.note}` : '')).filter((n) => n !== '');
            rows.push({
              benchmark,
              a,
              b,
              sameBehaviour: a.behaviour === b.behaviour,
              preferred: Math.abs(ta.shots - tb.shots) === closest,
              comparable: notes.length === 0,
              note: notes.join('; '),
            });
          }
        }
      }
    }
  }
  return { canonical, rows, labels: labelsAcross(dataset, config, fitted), agreement: agreementAcross(rows), points: pointsOf(dataset, rows) };
}

/**
 * Every fitted task of every benchmark that at least two studies fitted, labelled on its study's
 * headline x (the headline fits when given, else fitted here), by benchmark then study.
 */
function labelsAcross(dataset: Dataset, config: AnalysisConfig, fitted: readonly CurveSet[]): CrossStudyLabel[] {
  const all: CrossStudyLabel[] = [];
  for (const study of dataset.studies) {
    const axis = headlineAxis(dataset, study, config);
    if (!axis) continue;
    const set = fitted.find((s) => s.study === study.id && s.axis.id === axis.id) ?? fitCurveSet(study, axis, config);
    for (const curve of set.curves) {
      all.push({ benchmark: curve.task.benchmark, study: study.id, task: curve.task, x: axis.id, behaviour: classify(curve.analysis.features, config.rules).behaviour, r2: curve.analysis.fit.r2, n: curve.nPoints });
    }
  }
  const byBenchmark = groupBy(all, (label) => label.benchmark);
  const labels: CrossStudyLabel[] = [];
  for (const benchmark of [...byBenchmark.keys()].sort()) {
    const tasks = byBenchmark.get(benchmark)!;
    if (new Set(tasks.map((t) => t.study)).size >= 2) labels.push(...tasks);
  }
  return labels;
}

/** Agreement of the preferred, comparable pairs, per pair of studies and over all pairs. */
function agreementAcross(rows: readonly CrossStudyRow[]): CrossStudyAgreement[] {
  const counted = rows.filter((r) => r.preferred && r.comparable);
  const binary = (b: string): string => (b === 'predictable' ? 'predictable' : 'not predictable');
  const summarise = (studyA: string, studyB: string, group: readonly CrossStudyRow[]): CrossStudyAgreement => {
    const six = agreement(group.map((r) => r.a.behaviour), group.map((r) => r.b.behaviour), BEHAVIOURS);
    const two = agreement(group.map((r) => binary(r.a.behaviour)), group.map((r) => binary(r.b.behaviour)), ['predictable', 'not predictable']);
    return { studyA, studyB, pairs: group.length, benchmarks: new Set(group.map((r) => r.benchmark)).size, agree: six.agree, kappa: six.kappa, agreeBinary: two.agree, kappaBinary: two.kappa };
  };
  const pairs = [...new Set(counted.map((r) => `${r.a.study}\u0000${r.b.study}`))];
  const result = pairs.map((pair) => {
    const [a, b] = pair.split('\u0000') as [string, string];
    return summarise(a, b, counted.filter((r) => r.a.study === a && r.b.study === b));
  });
  if (pairs.length > 1) result.push(summarise('all', 'all', counted));
  return result;
}

function pointsOf(dataset: Dataset, rows: readonly CrossStudyRow[]): CrossStudyPoint[] {
  const points: CrossStudyPoint[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (!row.preferred) continue;
    for (const side of [row.a, row.b]) {
      const key = `${row.benchmark}\u0000${side.study}\u0000${side.task.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const table = dataset.studies.find((s) => s.id === side.study)!.usable;
      const x = table.axes.get(lossAxisId(side.xSet.id))!;
      const y = table.error.get(side.task.id)!;
      const known = knownRows(x, y);
      // Many checkpoints: at most MAX_POINTS_PER_CURVE drawn, evenly spaced in x (the fit used all).
      for (const i of thinned(known, x)) {
        points.push({ benchmark: row.benchmark, study: side.study, task: side.task.id, xSet: side.xSet.id, model: table.ids[i]!, x: x[i]!, error: y[i]!, fitted: predictExponential(side.fit, x[i]!) });
      }
    }
  }
  return points;
}

export const CROSS_STUDY_FILES = { rows: 'cross-study.csv', points: 'cross-study-points.csv', labels: 'cross-study-labels.csv', agreement: 'cross-study-agreement.csv' } as const;

/** outputs/cross-study.csv and outputs/cross-study-points.csv. */
export function writeCrossStudy(outputsDir: string, result: CrossStudyResult): string[] {
  const rowsPath = join(outputsDir, CROSS_STUDY_FILES.rows);
  writeFileAtomic(
    rowsPath,
    formatCsv(
      ['benchmark', 'study_a', 'task_a', 'behaviour_a', 'r2_a', 'n_a', 'study_b', 'task_b', 'behaviour_b', 'r2_b', 'n_b', 'same_behaviour', 'x_set_a', 'x_set_b', 'shots_a', 'shots_b', 'preferred', 'comparable', 'note'],
      result.rows.map((r) => [
        r.benchmark,
        r.a.study,
        r.a.task.id,
        r.a.behaviour,
        round(r.a.r2, 4),
        r.a.n,
        r.b.study,
        r.b.task.id,
        r.b.behaviour,
        round(r.b.r2, 4),
        r.b.n,
        r.sameBehaviour,
        r.a.xSet.id,
        r.b.xSet.id,
        r.a.task.shots,
        r.b.task.shots,
        r.preferred,
        r.comparable,
        r.note,
      ]),
    ),
  );
  const pointsPath = join(outputsDir, CROSS_STUDY_FILES.points);
  writeFileAtomic(
    pointsPath,
    formatCsv(
      ['benchmark', 'study', 'task', 'x_set', 'model', 'x', 'error', 'fitted'],
      result.points.map((p) => [p.benchmark, p.study, p.task, p.xSet, p.model, round(p.x, 8), round(p.error, 8), round(p.fitted, 8)]),
    ),
  );
  const labelsPath = join(outputsDir, CROSS_STUDY_FILES.labels);
  writeFileAtomic(
    labelsPath,
    formatCsv(
      ['benchmark', 'study', 'task', 'shots', 'label', 'r2', 'n_points', 'x'],
      result.labels.map((l) => [l.benchmark, l.study, l.task.id, l.task.shots, l.behaviour, round(l.r2, 4), l.n, l.x]),
    ),
  );
  const agreementPath = join(outputsDir, CROSS_STUDY_FILES.agreement);
  writeFileAtomic(
    agreementPath,
    formatCsv(
      ['study_a', 'study_b', 'pairs', 'benchmarks', 'agree', 'kappa', 'agree_binary', 'kappa_binary'],
      result.agreement.map((a) => [a.studyA, a.studyB, a.pairs, a.benchmarks, a.agree, round(a.kappa, 4), a.agreeBinary, round(a.kappaBinary, 4)]),
    ),
  );
  return [rowsPath, pointsPath, labelsPath, agreementPath];
}
