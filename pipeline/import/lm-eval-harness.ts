/**
 * What the importers of evaluation-harness releases (lm-evaluation-harness: Pythia, BigScience; and
 * lighteval: Gemstones) need to know about their zero-shot tasks, by canonical benchmark id: a display
 * name, the accuracy of random guessing and the prompt format in lm-evaluation-harness. Chance is 1 / number of answer options where every item has the same number of
 * options; null where the task is open-ended or the number of options varies or is not given.
 */

export type TaskFormat = 'multiple choice' | 'cloze' | 'schema' | 'language modeling' | 'question answering' | 'other';

export interface HarnessTask {
  name: string;
  chance: number | null;
  format: TaskFormat;
}

export const HARNESS_TASKS: Readonly<Record<string, HarnessTask>> = {
  arc_challenge: { name: 'ARC-Challenge', chance: 0.25, format: 'cloze' },
  arc_easy: { name: 'ARC-Easy', chance: 0.25, format: 'cloze' },
  blimp: { name: 'BLiMP (mean of 67 paradigms)', chance: 0.5, format: 'language modeling' },
  boolq: { name: 'BoolQ', chance: 0.5, format: 'cloze' },
  commonsense_qa: { name: 'CommonsenseQA', chance: 0.2, format: 'cloze' },
  copa: { name: 'COPA', chance: 0.5, format: 'cloze' },
  headqa: { name: 'HEAD-QA (English)', chance: null, format: 'cloze' },
  hellaswag: { name: 'HellaSwag', chance: 0.25, format: 'cloze' },
  lambada_openai: { name: 'LAMBADA (OpenAI)', chance: null, format: 'language modeling' },
  logi_qa: { name: 'LogiQA', chance: 0.25, format: 'cloze' },
  math_qa: { name: 'MathQA', chance: 0.2, format: 'cloze' },
  mc_taco: { name: 'MC-TACO', chance: null, format: 'other' },
  mmlu: { name: 'MMLU (57 subjects)', chance: 0.25, format: 'multiple choice' },
  mrpc: { name: 'MRPC', chance: 0.5, format: 'cloze' },
  multirc: { name: 'MultiRC', chance: null, format: 'cloze' },
  openbookqa: { name: 'OpenBookQA', chance: 0.25, format: 'cloze' },
  piqa: { name: 'PIQA', chance: 0.5, format: 'cloze' },
  prost: { name: 'PROST', chance: 0.25, format: 'cloze' },
  pubmed_qa_labeled: { name: 'PubMedQA', chance: 1 / 3, format: 'cloze' },
  qnli: { name: 'QNLI', chance: 0.5, format: 'cloze' },
  qqp: { name: 'QQP', chance: 0.5, format: 'cloze' },
  race: { name: 'RACE (high)', chance: 0.25, format: 'cloze' },
  rte: { name: 'RTE', chance: 0.5, format: 'cloze' },
  sciq: { name: 'SciQ', chance: 0.25, format: 'cloze' },
  siqa: { name: 'Social IQa', chance: 1 / 3, format: 'cloze' },
  sst2: { name: 'SST-2', chance: 0.5, format: 'cloze' },
  triviaqa: { name: 'TriviaQA', chance: null, format: 'question answering' },
  webqs: { name: 'WebQuestions', chance: null, format: 'question answering' },
  wic: { name: 'WiC', chance: 0.5, format: 'cloze' },
  winogrande: { name: 'WinoGrande', chance: 0.5, format: 'schema' },
  wnli: { name: 'WNLI', chance: 0.5, format: 'cloze' },
  wsc: { name: 'WSC (SuperGLUE)', chance: 0.5, format: 'cloze' },
};

export function harnessTask(benchmark: string, release: string): HarnessTask {
  const task = HARNESS_TASKS[benchmark];
  if (!task) throw new Error(`${release}: no chance/format entry for benchmark ${benchmark} in pipeline/import/lm-eval-harness.ts`);
  return task;
}

/** The score the importers take from a task's metrics, in order of preference. */
export type HarnessMetric = 'acc_norm' | 'acc' | 'em';

/**
 * Length-normalized accuracy where the release has it (closest to how gadre2024's LLM Foundry and
 * bhagia2024's OLMES columns score multiple-choice items), else plain accuracy, else exact match.
 */
export function chooseMetric(metrics: Readonly<Record<string, unknown>>): HarnessMetric | undefined {
  return (['acc_norm', 'acc', 'em'] as const).find((metric) => typeof metrics[metric] === 'number' || Array.isArray(metrics[metric]));
}

export const METRIC_OF: Readonly<Record<HarnessMetric, { metric: 'accuracy' | 'exact match'; variant: string }>> = {
  acc_norm: { metric: 'accuracy', variant: 'length-normalized (acc_norm)' },
  acc: { metric: 'accuracy', variant: 'plain accuracy (acc)' },
  em: { metric: 'exact match', variant: 'exact match over all candidate answers of a question (em)' },
};

/** How a release scored one task: the metric and its wording, and the format where the release's differs from the harness's. */
export interface TaskScoring {
  items: number | undefined;
  metric: 'accuracy' | 'exact match';
  variant: string;
  format?: TaskFormat;
}

/** The study record of a zero-shot harness task (name, chance and format from HARNESS_TASKS), in the field order of every importer's records. */
export function zeroShotTaskMetadata(benchmark: string, release: string, scoring: TaskScoring) {
  const known = harnessTask(benchmark, release);
  return {
    id: benchmark,
    name: known.name,
    benchmark,
    shots: 0,
    ...(scoring.items === undefined ? {} : { items: scoring.items }),
    chance: known.chance,
    metric: scoring.metric,
    unit: 'fraction',
    format: scoring.format ?? known.format,
    variant: scoring.variant,
  };
}

/** The scoring of a task scored by `metric` (acc_norm, acc, em) from the release's task `source`. */
export function harnessScoring(metric: HarnessMetric, source: string, items: number | undefined): TaskScoring {
  return { items, metric: METRIC_OF[metric].metric, variant: `${METRIC_OF[metric].variant}; source task ${source}` };
}
