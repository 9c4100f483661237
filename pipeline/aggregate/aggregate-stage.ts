/**
 * Stage 5, aggregate: per study, the fraction of tasks that scale predictably with a bootstrap
 * interval and the counts per behaviour; where a paper published labels for the study, the
 * agreement between its labels and ours.
 */
import type { AnalysisConfig } from '../classify/config.ts';
import type { ClassifiedSet } from '../classify/classify-stage.ts';
import { featureOptions } from '../fit/fit-stage.ts';
import { BEHAVIOURS, type Behaviour } from '../ingest/types.ts';
import type { ClaimSet, Dataset } from '../normalize/normalize.ts';
import { agreement, type Agreement } from './agreement.ts';
import { bootstrap, percentileInterval, type BootstrapResult } from './bootstrap.ts';

export interface StudySummary {
  study: string;
  set: ClassifiedSet;
  predictable: number;
  total: number;
  fraction: number;
  ci95: [number, number];
  counts: Record<Behaviour, number>;
  bootstrap: BootstrapResult;
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

export function summariseSet(dataset: Dataset, set: ClassifiedSet, config: AnalysisConfig, onProgress: (done: number) => void = () => {}): StudySummary {
  const study = dataset.studies.find((s) => s.id === set.study)!;
  const labels = set.classifications.map((c) => c.behaviour);
  const predictable = labels.filter((b) => b === 'predictable').length;
  const total = labels.length;
  const result = bootstrap(
    {
      x: study.models.loss.get(set.x.id)!,
      errors: study.tasks.map((task) => study.models.error.get(task.id)!),
      tasks: study.tasks,
      rules: config.rules,
      options: featureOptions(config),
      replicates: config.bootstrap.replicates,
      seed: config.bootstrap.seed,
    },
    onProgress,
  );
  const [low, high] = percentileInterval(result.predictable, 0.95);
  return { study: set.study, set, predictable, total, fraction: predictable / total, ci95: [low / total, high / total], counts: countBehaviours(labels), bootstrap: result };
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

/** The curve set a study's headline uses: x = the configured canonical validation set, or the claims' x. */
export function headlineSet(sets: readonly ClassifiedSet[], dataset: Dataset, studyId: string, config: AnalysisConfig): ClassifiedSet | undefined {
  const claimed = dataset.claimSets.find((c) => c.claims.about === studyId)?.claims.x;
  const study = dataset.studies.find((s) => s.id === studyId);
  const xId = claimed ?? study?.validationSets.find((v) => v.canonical === config.x.canonical)?.id ?? study?.validationSets[0]?.id;
  return sets.find((s) => s.study === studyId && s.x.id === xId);
}

export function aggregateStage(dataset: Dataset, sets: readonly ClassifiedSet[], config: AnalysisConfig, log: (line: string) => void = () => {}): AggregateResult {
  const summaries: StudySummary[] = [];
  for (const study of dataset.studies) {
    const set = headlineSet(sets, dataset, study.id, config);
    if (!set) continue;
    log(`aggregate: ${study.id}: bootstrap ${config.bootstrap.replicates} replicates of ${set.curves.length} tasks`);
    summaries.push(summariseSet(dataset, set, config));
  }
  const comparisons = dataset.claimSets
    .map((claims) => {
      const summary = summaries.find((s) => s.study === claims.claims.about);
      return summary ? compareWithClaims(claims, summary) : undefined;
    })
    .filter((c): c is ClaimComparison => c !== undefined);
  return { summaries, comparisons };
}
