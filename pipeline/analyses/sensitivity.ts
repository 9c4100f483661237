/**
 * Sensitivity of the headline: the fraction of tasks that scale predictably under every analysis
 * choice, each with a bootstrap interval. Two kinds of choice:
 * - rule thresholds (each swept over its configured range): the headline's bootstrap features are
 *   re-classified, no refitting needed;
 * - choices that change the data or the fit (validation set used for x, pooled models versus one
 *   pretraining corpus, fit form, accuracy versus chance-normalized accuracy, tasks with known
 *   defects left out): refit and a bootstrap of their own (fewer replicates, see the config), for
 *   the studies `sensitivity.studies` names ("with claims": only studies with published labels,
 *   since each choice costs a full bootstrap of the study).
 * Variants keep the headline's fitted tasks as the denominator; a task that a variant leaves with too
 * little data counts as not predictable there. The row of the default choices equals the headline.
 */
import { join } from 'node:path';
import { classifyReplicates, percentileInterval, type BootstrapJob } from '../aggregate/bootstrap.ts';
import { runBootstrapJobsReusing } from '../aggregate/bootstrap-reuse.ts';
import { curveJob, headlineJob, type StudySummary } from '../aggregate/aggregate-stage.ts';
import { sweptConditions, withThresholds } from '../classify/calibrate.ts';
import type { AnalysisConfig, Rule } from '../config/analysis-config.ts';
import { analyseCurve, fitDomainProblem, type FeatureOptions, type FitForm, type TaskNoise } from '../fit/features.ts';
import { classify } from '../classify/rules.ts';
import { labels, thresholdChoiceId } from '../classify/labels.ts';
import { countDistinct, featureOptions, insufficiencyReason, runIds } from '../fit/fit-stage.ts';
import type { TaskMetadata } from '../ingest/types.ts';
import { lossAxisId, type Dataset, type NormalizedStudy } from '../normalize/normalize.ts';
import { formatCsv, round, writeFileAtomic } from '../util/files.ts';

export interface SensitivityRow {
  study: string;
  choice: string;
  value: string;
  predictable: number;
  total: number;
  fraction: number;
  ciLow: number;
  ciHigh: number;
  replicates: number;
  isDefault: boolean;
}

/** One way of redoing the headline's data or fit: which models, which x, which y, which form. */
interface DataVariant {
  choice: string;
  value: string;
  isDefault: boolean;
  rows: number[];
  /** Axis id. */
  xSet: string;
  form: FitForm;
  chanceNormalized: boolean;
}

const FORMS: { form: FitForm; label: string }[] = [
  { form: 'exponential', label: 'exponential in loss (paper)' },
  { form: 'power', label: 'power law in loss (exponential in ln loss)' },
  { form: 'linear', label: 'straight line' },
];

function dataVariants(study: NormalizedStudy, headlineX: string): DataVariant[] {
  const table = study.usable;
  const all = table.ids.map((_, i) => i);
  const base = { rows: all, xSet: headlineX, form: 'exponential' as FitForm, chanceNormalized: false };
  const variants: DataVariant[] = [];
  for (const axis of study.axes) variants.push({ ...base, choice: axis.kind === 'loss' ? 'validation set for x' : 'x', value: axis.set?.id ?? axis.id, isDefault: axis.id === headlineX, xSet: axis.id });
  // (all corpora pooled, as in the headline)
  variants.push({ ...base, choice: 'models', value: 'pooled', isDefault: true });
  if (study.corpora.length > 1) {
    for (const corpus of study.corpora) {
      const rows = all.filter((i) => table.corpus[i] === corpus.id);
      if (rows.length >= 10) variants.push({ ...base, choice: 'models', value: `${corpus.id} only`, isDefault: false, rows });
    }
  }
  // "Which validation set" and "pooled or one corpus" are separate choices: the rows above pool
  // every corpus; these hold one corpus fixed and vary the validation set (and so show whether a
  // validation set's effect is the pooling of corpora that sit at different losses).
  if (study.corpora.length > 1) {
    for (const corpus of study.corpora) {
      const rows = all.filter((i) => table.corpus[i] === corpus.id);
      if (rows.length < 10) continue;
      for (const set of study.validationSets) variants.push({ ...base, choice: `validation set for x, ${corpus.id} models only`, value: set.id, isDefault: false, xSet: lossAxisId(set.id), rows });
    }
  }
  for (const { form, label } of FORMS) variants.push({ ...base, choice: 'fit form', value: label, isDefault: form === 'exponential', form });
  variants.push({ ...base, choice: 'metric', value: 'accuracy', isDefault: true });
  variants.push({ ...base, choice: 'metric', value: 'chance-normalized accuracy', isDefault: false, chanceNormalized: true });
  return variants;
}

function variantInputs(study: NormalizedStudy, tasks: readonly TaskMetadata[], variant: DataVariant, config: AnalysisConfig): { job: BootstrapJob; options: FeatureOptions } {
  // A task with no defined chance level keeps its raw error under chance normalization.
  const scales = tasks.map((task) => (variant.chanceNormalized && task.chance !== null ? 1 / (1 - task.chance) : 1));
  const errors = tasks.map((task, t) => study.usable.error.get(task.id)!.map((e) => e * scales[t]!));
  const noise: TaskNoise[] = tasks.map((task, t) => ({ ...(task.items ? { items: task.items } : {}), ...(scales[t] !== 1 ? { errorScale: scales[t]! } : {}) }));
  const options: FeatureOptions = { ...featureOptions(config), form: variant.form };
  return { job: curveJob(study, variant.xSet, tasks, config, config.sensitivity.replicates, { rows: variant.rows, errors, noise, options }), options };
}

/** Is task t of a job predictable on the job's own points (not resampled)? Too little data: no. */
function predictableOnJob(job: BootstrapJob, t: number, options: FeatureOptions, rules: readonly Rule[], runOfRow: Int32Array, minPoints: number, minRuns: number): boolean {
  const y = job.errors[t]!;
  const keep: number[] = [];
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i]!)) keep.push(i);
  const xs = Float64Array.from(keep, (i) => job.x[i]!);
  const runs = new Set(keep.map((i) => runOfRow[i]!)).size;
  if (insufficiencyReason(keep.length, runs, countDistinct(xs, xs.keys(), minPoints), { minPoints, minRuns })) return false;
  return classify(analyseCurve(xs, Float64Array.from(keep, (i) => y[i]!), job.tasks[t]!, options).features, rules).behaviour === 'predictable';
}

function row(study: string, choice: string, value: string, isDefault: boolean, predictable: number, total: number, replicateCounts: number[]): SensitivityRow {
  const [low, high] = percentileInterval(replicateCounts, 0.95);
  return { study, choice, value, isDefault, predictable, total, fraction: predictable / total, ciLow: low / total, ciHigh: high / total, replicates: replicateCounts.length };
}

function conditionLabel(rule: Rule, condition: number): string {
  return thresholdChoiceId(rule.behaviour, rule.conditions[condition]!);
}

export async function sensitivityAnalysis(dataset: Dataset, summaries: readonly StudySummary[], config: AnalysisConfig, log: (line: string) => void = () => {}): Promise<SensitivityRow[]> {
  const rows: SensitivityRow[] = [];
  const planned: { study: NormalizedStudy; summary: StudySummary; variant: DataVariant; job: BootstrapJob; options: FeatureOptions }[] = [];

  for (const summary of summaries) {
    const study = dataset.studies.find((s) => s.id === summary.study)!;
    const countPredictable = (keep: (t: number) => boolean, rules: readonly Rule[] = config.rules): number =>
      summary.set.curves.filter((curve, t) => keep(t) && classify(curve.analysis.features, rules).behaviour === 'predictable').length;

    rows.push(row(study.id, 'default', 'all default choices', true, summary.predictable, summary.total, summary.bootstrap.predictable));

    // Threshold sweeps: re-classify the headline's fits and bootstrap features.
    for (const swept of sweptConditions(config.rules)) {
      for (const value of swept.values) {
        const rules = withThresholds(config.rules, { [swept.key]: value });
        const replicateCounts = classifyReplicates(summary.replicates, rules).predictable;
        rows.push(row(study.id, conditionLabel(config.rules[swept.rule]!, swept.condition), String(value), value === config.rules[swept.rule]!.conditions[swept.condition]!.threshold, countPredictable(() => true, rules), summary.total, replicateCounts));
      }
    }

    // Tasks with known defects, with and without.
    const excluded = new Set(config.sensitivity.excludeTasks.filter((e) => e.study === study.id).map((e) => e.task));
    if (excluded.size > 0) {
      const keep = summary.set.curves.map((curve) => !excluded.has(curve.task.id));
      const value = `without ${[...excluded].sort().join(', ')}`;
      rows.push(row(study.id, 'tasks', 'all tasks', true, summary.predictable, summary.total, summary.bootstrap.predictable));
      rows.push(row(study.id, 'tasks', value, false, countPredictable((t) => keep[t]!), keep.filter(Boolean).length, classifyReplicates(summary.replicates, config.rules, keep).predictable));
    }

    const claimed = dataset.claimSets.some((c) => c.claims.about === study.id);
    if (config.sensitivity.studies === 'with claims' && !claimed) continue;
    const tasks = summary.set.curves.map((curve) => curve.task);
    for (const variant of dataVariants(study, summary.set.axis.id)) {
      if (variant.isDefault) {
        rows.push(row(study.id, variant.choice, variant.value, true, summary.predictable, summary.total, summary.bootstrap.predictable));
        continue;
      }
      const inputs = variantInputs(study, tasks, variant, config);
      const outside = fitDomainProblem(variant.form, inputs.job.x, inputs.options.bounds);
      if (outside) {
        log(`sensitivity: ${study.id}: skipped "${variant.choice}: ${variant.value}" because ${outside}`);
        continue;
      }
      planned.push({ study, summary, variant, ...inputs });
    }
  }

  const alternatives = rows.filter((r) => !r.isDefault).length + planned.length;
  const choices = new Set([...rows.map((r) => r.choice), ...planned.map((p) => p.variant.choice)].filter((c) => c !== 'default')).size;
  log(`sensitivity: ${alternatives} ${labels().terms['alternative setting']!.label}s of ${choices} analysis choices over ${summaries.length} stud${summaries.length === 1 ? 'y' : 'ies'}; ${planned.length} refitted, ${config.sensitivity.replicates} bootstrap replicates each`);
  let reported = 0;
  // A variant's tasks that the headline bootstrap (or another variant) already resampled on the same
  // draws are copied, not refitted (aggregate/bootstrap-reuse.ts).
  const headlines = summaries.map((summary) => ({ job: headlineJob(dataset, summary.set, config, summary.replicates.replicates), features: summary.replicates }));
  const { features, reusedTasks, computedTasks } = await runBootstrapJobsReusing(
    planned.map((p) => p.job),
    headlines,
    (done, total) => {
      if (done === total || done - reported >= total / 4) {
        reported = done;
        log(`sensitivity: ${done}/${total} replicates`);
      }
    },
  );
  if (planned.length > 0) log(`sensitivity: ${computedTasks} task bootstraps computed, ${reusedTasks} identical to one already computed (copied)`);
  planned.forEach(({ study, summary, variant, job, options }, i) => {
    const runOfRow = jobRuns(job);
    const predictable = job.tasks.filter((_, t) => predictableOnJob(job, t, options, config.rules, runOfRow, config.sufficiency.minPoints, config.sufficiency.minRuns)).length;
    rows.push(row(study.id, variant.choice, variant.value, false, predictable, summary.total, classifyReplicates(features[i]!, config.rules).predictable));
  });

  const choiceOrder = new Map<string, number>();
  rows.forEach((r) => choiceOrder.has(`${r.study}/${r.choice}`) || choiceOrder.set(`${r.study}/${r.choice}`, choiceOrder.size));
  return rows.sort((a, b) => a.study.localeCompare(b.study) || choiceOrder.get(`${a.study}/${a.choice}`)! - choiceOrder.get(`${b.study}/${b.choice}`)! || compareValues(a.value, b.value));
}

/** The run of each of a job's rows (every row its own run when the job has no grouping). */
function jobRuns(job: BootstrapJob): Int32Array {
  const runOfRow = Int32Array.from(job.x, (_, i) => i);
  if (!job.runStart || !job.runRows) return runOfRow;
  for (let c = 0; c + 1 < job.runStart.length; c++) for (let k = job.runStart[c]!; k < job.runStart[c + 1]!; k++) runOfRow[job.runRows[k]!] = c;
  return runOfRow;
}

function compareValues(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : a.localeCompare(b);
}

export function writeSensitivity(outputsDir: string, rows: readonly SensitivityRow[]): string {
  const path = join(outputsDir, 'sensitivity.csv');
  const header = ['study', 'choice', 'value', 'predictable', 'total', 'fraction', 'ci_low', 'ci_high', 'replicates', 'is_default'];
  writeFileAtomic(path, formatCsv(header, rows.map((r) => [r.study, r.choice, r.value, r.predictable, r.total, round(r.fraction, 4), round(r.ciLow, 4), round(r.ciHigh, 4), r.replicates, r.isDefault])));
  return path;
}
