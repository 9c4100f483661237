/**
 * Registry-wide synthesis (beyond any one paper): for every study of the registry, the share of its
 * tasks that scale predictably with its run-level bootstrap interval, the data behind it (runs,
 * checkpoints, points, the x used, tasks without enough data), and a pooled share across studies.
 *
 * Pooling respects that tasks are nested in studies: each study contributes one logit share, with a
 * within-study variance made of the binomial variance of the share over its tasks plus the variance
 * of the logit share over its run-level bootstrap replicates (uncertainty from which runs were
 * trained); studies are combined by a DerSimonian–Laird random-effects model (stats/meta-analysis.ts),
 * whose τ² is the spread of true shares between studies.
 */
import { join } from 'node:path';
import type { AggregateResult } from '../aggregate/aggregate-stage.ts';
import type { Dataset } from '../normalize/normalize.ts';
import { logitShare, poolShares, type PooledShare } from '../stats/meta-analysis.ts';
import { formatCsv, round, writeFileAtomic } from '../util/files.ts';

export const POOLING_METHOD =
  'Random-effects meta-analysis of the logit share of predictable tasks (DerSimonian–Laird τ²): each study weighs by the inverse of its within-study variance (binomial over its tasks, ½ continuity correction, plus the variance of the logit share over its run-level bootstrap replicates) plus τ²; the interval is the pooled logit ± 1.96 standard errors, mapped back to a share.';

export interface RegistryRow {
  study: string;
  claims: string | null;
  level: string;
  checkpointRule: string;
  x: string;
  xCanonical: string;
  xUnit: string;
  tasks: number;
  fitted: number;
  insufficient: number;
  predictable: number;
  fraction: number;
  ciLow: number;
  ciHigh: number;
  replicates: number;
  runs: number;
  checkpoints: number;
  points: number;
  /** Variance of the logit share over bootstrap replicates (NaN without replicates). */
  bootstrapLogitVariance: number;
}

export interface RegistryResult {
  rows: RegistryRow[];
  pooled: PooledShare | undefined;
  method: string;
}

function variance(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((acc, v) => acc + (v - mean) ** 2, 0) / (values.length - 1);
}

export function registrySynthesis(dataset: Dataset, aggregate: AggregateResult): RegistryResult {
  const rows: RegistryRow[] = aggregate.headlineSets.map((set) => {
    const study = dataset.studies.find((s) => s.id === set.study)!;
    const summary = aggregate.summaries.find((s) => s.set === set);
    const rule = study.checkpointRule;
    const total = set.curves.length;
    return {
      study: study.id,
      claims: dataset.claimSets.find((c) => c.claims.about === study.id)?.id ?? null,
      level: study.metadata.observations?.level ?? 'model',
      checkpointRule: rule ? (rule.use === 'after-fraction' ? `after-fraction ${rule.fraction}` : rule.use) : 'every model',
      x: set.axis.id,
      xCanonical: set.axis.canonical,
      xUnit: set.axis.unit,
      tasks: study.tasks.length,
      fitted: total,
      insufficient: set.insufficient.length,
      predictable: summary?.predictable ?? 0,
      fraction: summary ? summary.fraction : Number.NaN,
      ciLow: summary ? summary.ci95[0] : Number.NaN,
      ciHigh: summary ? summary.ci95[1] : Number.NaN,
      replicates: summary?.bootstrap.predictable.length ?? 0,
      runs: set.nRuns,
      checkpoints: study.usable.ids.length,
      points: set.n,
      bootstrapLogitVariance: summary ? variance(summary.bootstrap.predictable.map((k) => logitShare(k, total))) : Number.NaN,
    };
  });
  const pooled = poolShares(rows.filter((r) => r.fitted > 0).map((r) => ({ k: r.predictable, n: r.fitted, extraVariance: Number.isFinite(r.bootstrapLogitVariance) ? r.bootstrapLogitVariance : 0 })));
  return { rows, pooled, method: POOLING_METHOD };
}

export const REGISTRY_FILES = { rows: 'registry.csv', pooled: 'registry-pooled.csv' } as const;

const cell = (value: number, digits = 4): number | null => (Number.isFinite(value) ? round(value, digits) : null);

/** outputs/registry.csv (one row per study) and outputs/registry-pooled.csv (the pooled share and its method). */
export function writeRegistry(outputsDir: string, result: RegistryResult): string[] {
  const rowsPath = join(outputsDir, REGISTRY_FILES.rows);
  writeFileAtomic(
    rowsPath,
    formatCsv(
      ['study', 'claims', 'level', 'checkpoint_rule', 'x', 'x_canonical', 'x_unit', 'n_tasks', 'n_fitted', 'n_insufficient_data', 'predictable', 'fraction', 'ci_low', 'ci_high', 'replicates', 'n_runs', 'n_checkpoints', 'n_points', 'bootstrap_logit_variance'],
      result.rows.map((r) => [r.study, r.claims, r.level, r.checkpointRule, r.x, r.xCanonical, r.xUnit, r.tasks, r.fitted, r.insufficient, r.predictable, cell(r.fraction), cell(r.ciLow), cell(r.ciHigh), r.replicates, r.runs, r.checkpoints, r.points, cell(r.bootstrapLogitVariance, 6)]),
    ),
  );
  const pooledPath = join(outputsDir, REGISTRY_FILES.pooled);
  const p = result.pooled;
  writeFileAtomic(
    pooledPath,
    formatCsv(
      ['studies', 'share', 'ci_low', 'ci_high', 'logit', 'se', 'tau2', 'q', 'i2', 'method'],
      p ? [[p.studies, cell(p.share), cell(p.ci95[0]), cell(p.ci95[1]), cell(p.logit, 6), cell(p.se, 6), cell(p.tau2, 6), cell(p.q, 6), cell(p.i2), result.method]] : [],
    ),
  );
  return [rowsPath, pooledPath];
}
