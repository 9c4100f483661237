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
 */
import { join } from 'node:path';
import type { AnalysisConfig } from '../classify/config.ts';
import { classify } from '../classify/rules.ts';
import { predictExponential, type ExponentialFit } from '../fit/exponential.ts';
import { fitCurveSet } from '../fit/fit-stage.ts';
import type { Behaviour, TaskMetadata, ValidationSetMetadata } from '../ingest/types.ts';
import { lossAxis, lossAxisId, validationSetByCanonical, type Dataset, type NormalizedStudy } from '../normalize/normalize.ts';
import { formatCsv, round, writeFileAtomic } from '../util/files.ts';

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

export interface CrossStudyResult {
  canonical: string;
  rows: CrossStudyRow[];
  /** Every final model of every task in a preferred pair, with that task's fitted curve. */
  points: CrossStudyPoint[];
}

/** Classify every task of `study` on its validation set with canonical id `canonical` (undefined when it has none). */
export function classifyOnCanonical(study: NormalizedStudy, canonical: string, config: AnalysisConfig): Map<string, ClassifiedTask> | undefined {
  const xSet = validationSetByCanonical(study, canonical);
  if (!xSet) return undefined;
  const set = fitCurveSet(study, lossAxis(xSet), config);
  return new Map(
    set.curves.map((curve) => [
      curve.task.id,
      { study: study.id, xSet, task: curve.task, behaviour: classify(curve.analysis.features, config.rules).behaviour, r2: curve.analysis.fit.r2, n: curve.nPoints, fit: curve.analysis.fit },
    ]),
  );
}

export function crossStudy(dataset: Dataset, config: AnalysisConfig): CrossStudyResult {
  const canonical = config.x.canonical;
  const classified = new Map<string, Map<string, ClassifiedTask>>();
  for (const study of dataset.studies) {
    const tasks = classifyOnCanonical(study, canonical, config);
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
  return { canonical, rows, points: pointsOf(dataset, rows) };
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
      for (let i = 0; i < table.ids.length; i++) {
        if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) continue;
        points.push({ benchmark: row.benchmark, study: side.study, task: side.task.id, xSet: side.xSet.id, model: table.ids[i]!, x: x[i]!, error: y[i]!, fitted: predictExponential(side.fit, x[i]!) });
      }
    }
  }
  return points;
}

export const CROSS_STUDY_FILES = { rows: 'cross-study.csv', points: 'cross-study-points.csv' } as const;

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
  return [rowsPath, pointsPath];
}
