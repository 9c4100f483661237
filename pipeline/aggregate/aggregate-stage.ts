/**
 * Stage 5, aggregate: per study, the fraction of tasks that scale predictably with a bootstrap
 * interval and the counts per behaviour; where a paper published labels for the study, the
 * agreement between its labels and ours.
 */
import type { AnalysisConfig } from '../classify/config.ts';
import type { ClassifiedSet } from '../classify/classify-stage.ts';
import { featureOptions } from '../fit/fit-stage.ts';
import { BEHAVIOURS, type Behaviour, type ValidationSetMetadata } from '../ingest/types.ts';
import type { ClaimSet, Dataset, NormalizedStudy } from '../normalize/normalize.ts';
import { agreement, type Agreement } from './agreement.ts';
import { classifyReplicates, percentileInterval, type BootstrapJob, type ReplicateFeatures, type ReplicateLabels } from './bootstrap.ts';
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
  summaries: StudySummary[];
  comparisons: ClaimComparison[];
}

export function countBehaviours(labels: readonly Behaviour[]): Record<Behaviour, number> {
  const counts = Object.fromEntries(BEHAVIOURS.map((b) => [b, 0])) as Record<Behaviour, number>;
  for (const label of labels) counts[label]++;
  return counts;
}

/** The bootstrap job for one curve set: its x, every task's error, the rules' fit options. */
export function headlineJob(dataset: Dataset, set: ClassifiedSet, config: AnalysisConfig): BootstrapJob {
  const study = dataset.studies.find((s) => s.id === set.study)!;
  return {
    x: study.models.loss.get(set.x.id)!,
    errors: study.tasks.map((task) => study.models.error.get(task.id)!),
    tasks: study.tasks.map((task) => (task.items ? { items: task.items } : {})),
    options: featureOptions(config),
    replicates: config.bootstrap.replicates,
    seed: config.bootstrap.seed,
  };
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

/** The x a study is classified on: the set its published claims use, else the configured canonical set, else its first set. */
export function headlineXSet(dataset: Dataset, study: NormalizedStudy, config: AnalysisConfig): ValidationSetMetadata | undefined {
  const claimed = dataset.claimSets.find((c) => c.claims.about === study.id)?.claims.x;
  return study.validationSets.find((v) => v.id === claimed) ?? study.validationSets.find((v) => v.canonical === config.x.canonical) ?? study.validationSets[0];
}

/** The curve set of a study's headline (see headlineXSet). */
export function headlineSet(sets: readonly ClassifiedSet[], dataset: Dataset, study: NormalizedStudy, config: AnalysisConfig): ClassifiedSet | undefined {
  const xSet = headlineXSet(dataset, study, config);
  return sets.find((s) => s.study === study.id && s.x.id === xSet?.id);
}

export async function aggregateStage(dataset: Dataset, sets: readonly ClassifiedSet[], config: AnalysisConfig, log: (line: string) => void = () => {}): Promise<AggregateResult> {
  const headline = dataset.studies.map((study) => headlineSet(sets, dataset, study, config)).filter((set): set is ClassifiedSet => set !== undefined);
  log(`aggregate: bootstrap ${config.bootstrap.replicates} replicates of ${headline.map((set) => `${set.study} (${set.curves.length} tasks)`).join(', ')}`);
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
  return { summaries, comparisons };
}
