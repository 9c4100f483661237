/**
 * Stage 5, aggregate: per study, the fraction of tasks that scale predictably with a bootstrap
 * interval and the counts per behaviour; where a paper published labels for the study, the
 * agreement between its labels and ours.
 */
import type { AnalysisConfig } from '../config/analysis-config.ts';
import type { ClassifiedSet } from '../classify/classify-stage.ts';
import { featureOptions, headlineAxis, runIds } from '../fit/fit-stage.ts';
import type { FeatureOptions, TaskNoise } from '../fit/features.ts';
import { BEHAVIOURS, type Behaviour, type TaskMetadata } from '../ingest/types.ts';
import type { ClaimSet, Dataset, NormalizedStudy, ObservationTable } from '../normalize/normalize.ts';
import { agreement, type Agreement } from './agreement.ts';
import { classifyReplicates, groupRuns, percentileInterval, type BootstrapJob, type ReplicateFeatures, type ReplicateLabels } from './bootstrap.ts';
import { runBootstrapJobs } from './bootstrap-pool.ts';

export interface StudySummary {
  study: string;
  set: ClassifiedSet;
  predictable: number;
  total: number;
  fraction: number;
  ci95: [number, number];
  counts: Record<Behaviour, number>;
  /** Features of every bootstrap replicate (rules can be re-applied without refitting). */
  replicates: ReplicateFeatures;
  bootstrap: ReplicateLabels;
}

export interface ClaimComparison {
  claims: ClaimSet;
  summary: StudySummary;
  /** Published label per task of the summary's set, in its task order. */
  published: Behaviour[];
  binary: Agreement;
  categories: Agreement;
}

export interface AggregateResult {
  /** Every study's headline curve set (see headlineAxis), including studies with no fitted task. */
  headlineSets: ClassifiedSet[];
  /** One per study with at least one fitted task. */
  summaries: StudySummary[];
  comparisons: ClaimComparison[];
}

export function countBehaviours(labels: readonly Behaviour[]): Record<Behaviour, number> {
  const counts = Object.fromEntries(BEHAVIOURS.map((b) => [b, 0])) as Record<Behaviour, number>;
  for (const label of labels) counts[label]++;
  return counts;
}

/** Replicates for a study: the configured count where the study has published claims, else the (capped) count for other studies. */
export function replicatesFor(dataset: Dataset, study: string, config: AnalysisConfig): number {
  const claimed = dataset.claimSets.some((c) => c.claims.about === study);
  return claimed ? config.bootstrap.replicates : Math.min(config.bootstrap.replicates, config.bootstrap.otherStudiesReplicates);
}

/** The pieces of a bootstrap job that variants change: which rows, which x, which tasks and errors. */
export interface JobData {
  /** Rows of the table to use (default: every row with a known x). */
  rows?: readonly number[];
  /** y per task over the table's rows (default: the task's error). */
  errors?: readonly Float64Array[];
  noise?: readonly TaskNoise[];
  options?: FeatureOptions;
}

/**
 * A bootstrap job over `table` (default the study's usable rows) on axis `axisId`: the rows with a
 * known x, grouped by run, each task's error (NaN where not evaluated), the fit options and the
 * sufficiency rule.
 */
export function curveJob(study: NormalizedStudy, axisId: string, tasks: readonly TaskMetadata[], config: AnalysisConfig, replicates: number, data: JobData = {}, table: ObservationTable = study.usable): BootstrapJob {
  const xAll = table.axes.get(axisId)!;
  const rows = (data.rows ?? xAll.map((_, i) => i)).filter((i) => Number.isFinite(xAll[i]!));
  const pick = (column: Float64Array): Float64Array => (rows.length === column.length ? column : Float64Array.from(rows, (i) => column[i]!));
  const runs = runIds(table);
  // Dense run ids over the kept rows, in order of first appearance.
  const dense = new Map<number, number>();
  const runOfRow = Int32Array.from(rows, (i) => {
    const run = runs.ids[i]!;
    if (!dense.has(run)) dense.set(run, dense.size);
    return dense.get(run)!;
  });
  return {
    x: pick(xAll),
    errors: tasks.map((task, t) => pick(data.errors?.[t] ?? table.error.get(task.id)!)),
    tasks: data.noise ? [...data.noise] : tasks.map((task) => (task.items ? { items: task.items } : {})),
    // One row per run is the model bootstrap: leave the grouping out (the same draws, less to send).
    ...(dense.size === rows.length ? {} : groupRuns(runOfRow, dense.size)),
    sufficiency: { minPoints: config.sufficiency.minPoints, minRuns: config.sufficiency.minRuns },
    options: data.options ?? featureOptions(config),
    replicates,
    seed: config.bootstrap.seed,
  };
}

/** The bootstrap job of a study's classified curve set: its fitted tasks on its axis. */
export function headlineJob(dataset: Dataset, set: ClassifiedSet, config: AnalysisConfig, replicates = replicatesFor(dataset, set.study, config)): BootstrapJob {
  const study = dataset.studies.find((s) => s.id === set.study)!;
  return curveJob(study, set.axis.id, set.curves.map((curve) => curve.task), config, replicates);
}

export function summariseSet(set: ClassifiedSet, replicates: ReplicateFeatures, config: AnalysisConfig): StudySummary {
  const labels = set.classifications.map((c) => c.behaviour);
  const predictable = labels.filter((b) => b === 'predictable').length;
  const total = labels.length;
  const bootstrap = classifyReplicates(replicates, config.rules);
  const [low, high] = percentileInterval(bootstrap.predictable, 0.95);
  return { study: set.study, set, predictable, total, fraction: predictable / total, ci95: [low / total, high / total], counts: countBehaviours(labels), replicates, bootstrap };
}

export function compareWithClaims(claims: ClaimSet, summary: StudySummary): ClaimComparison {
  const byTask = new Map(claims.claims.labels.map((label) => [label.task, label.behaviour]));
  const tasks = summary.set.curves.map((c) => c.task.id).filter((id) => byTask.has(id));
  const published = tasks.map((id) => byTask.get(id)!);
  const reproduced = tasks.map((id) => summary.set.classifications[summary.set.curves.findIndex((c) => c.task.id === id)]!.behaviour);
  const binaryLabel = (b: Behaviour): string => (b === 'predictable' ? 'predictable' : 'not predictable');
  return {
    claims,
    summary,
    published,
    binary: agreement(published.map(binaryLabel), reproduced.map(binaryLabel), ['predictable', 'not predictable']),
    categories: agreement(published, reproduced, BEHAVIOURS),
  };
}

/** The curve set of a study's headline (see headlineAxis). */
export function headlineSet(sets: readonly ClassifiedSet[], dataset: Dataset, study: NormalizedStudy, config: AnalysisConfig): ClassifiedSet | undefined {
  const axis = headlineAxis(dataset, study, config);
  return sets.find((s) => s.study === study.id && s.axis.id === axis?.id);
}

export async function aggregateStage(dataset: Dataset, sets: readonly ClassifiedSet[], config: AnalysisConfig, log: (line: string) => void = () => {}): Promise<AggregateResult> {
  const headlineSets = dataset.studies.map((study) => headlineSet(sets, dataset, study, config)).filter((set): set is ClassifiedSet => set !== undefined);
  // A study none of whose tasks has enough data has no share to estimate (its entry says so).
  const headline = headlineSets.filter((set) => set.curves.length > 0);
  log(`aggregate: run-level bootstrap of ${headline.map((set) => `${set.study} (${replicatesFor(dataset, set.study, config)} replicates, ${set.curves.length} tasks, ${set.nRuns} runs, ${set.n} points)`).join(', ')}`);
  let reported = 0;
  const features = await runBootstrapJobs(
    headline.map((set) => headlineJob(dataset, set, config)),
    (done, total) => {
      if (done === total || done - reported >= total / 4) {
        reported = done;
        log(`aggregate: ${done}/${total} replicates`);
      }
    },
  );
  const summaries = headline.map((set, i) => summariseSet(set, features[i]!, config));
  const comparisons = dataset.claimSets
    .map((claims) => {
      const summary = summaries.find((s) => s.study === claims.claims.about);
      return summary ? compareWithClaims(claims, summary) : undefined;
    })
    .filter((c): c is ClaimComparison => c !== undefined);
  return { headlineSets, summaries, comparisons };
}
