/**
 * Importer for Le Scao et al. 2022 (BigScience architecture and data ablations): one 1.3B-parameter
 * architecture trained on five corpora, evaluated zero-shot with lm-evaluation-harness at every saved
 * checkpoint. One run per corpus; x is derived from the tokens seen (log-tokens), since the release has one size and no loss.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchmarkLookup, readVocabulary } from './benchmark-names.ts';
import { chooseMetric, harnessScoring, zeroShotTaskMetadata, type HarnessMetric } from './lm-eval-harness.ts';
import { itemsFromStandardErrors } from './standard-errors.ts';
import type { ImportedStudy } from './study-writer.ts';

const RELEASE = 'lescao2022';

/** [file, folder in the repository, run id, corpus id, corpus name]; runs in the release's order. */
const RUNS = [
  ['tr3d-1B3-oscar-checkpoints_agg.json', 'tr3', 'tr3d-oscar', 'oscar', 'OSCAR'],
  ['tr3e-1B3-c4-checkpoints_agg.json', 'tr3', 'tr3e-c4', 'c4', 'C4'],
  ['tr3m-1B3-pile-checkpoints_agg.json', 'tr3', 'tr3m-pile', 'pile', 'The Pile'],
  ['tr12a-1B3-oscar-en-filtered_agg.json', 'tr12', 'tr12a-oscar-en-filtered', 'oscar-en-filtered', 'OSCAR English, filtered'],
  ['tr12b-1B3-oscar-en-filtered-dedup_agg.json', 'tr12', 'tr12b-oscar-en-filtered-dedup', 'oscar-en-filtered-dedup', 'OSCAR English, filtered and deduplicated'],
] as const;

interface RunFile {
  tokens: number[];
  checkpoints: number[];
  results: Record<string, Record<string, number[]>>;
}

export function importLescao2022(sourceDir: string): ImportedStudy {
  const benchmarkOf = benchmarkLookup(readVocabulary(), RELEASE);
  const runs = RUNS.map(([file, , run, corpus]) => ({ file, run, corpus, data: readRun(join(sourceDir, file)) }));

  // Every run must evaluate the same tasks; the metric of each task is chosen once for all runs.
  const taskNames = Object.keys(runs[0]!.data.results).sort();
  for (const { file, data } of runs) {
    const names = Object.keys(data.results).sort();
    if (names.join() !== taskNames.join()) throw new Error(`${RELEASE}: ${file} evaluates other tasks than ${runs[0]!.file}`);
  }
  const tasks = taskNames
    .map((source) => {
      const metric = chooseMetric(runs[0]!.data.results[source]!);
      if (!metric) throw new Error(`${RELEASE}: task ${source} has no acc_norm, acc or em`);
      const benchmark = benchmarkOf(source);
      const cells = runs.flatMap(({ data }) => zipWithErrors(data.results[source]!, metric));
      return { source, metric, benchmark, items: itemsFromStandardErrors(cells) };
    })
    .sort((a, b) => a.benchmark.localeCompare(b.benchmark));

  const rows: (string | number | boolean | null)[][] = [];
  for (const { file, run, corpus, data } of runs) {
    const last = data.checkpoints.length - 1;
    data.checkpoints.forEach((step, index) => {
      if (index > 0 && step <= data.checkpoints[index - 1]!) throw new Error(`${RELEASE}: ${file}: checkpoints are not in increasing order at ${step}`);
      rows.push([
        `${run}@${step}`,
        corpus,
        run,
        step,
        index === last,
        data.tokens[index]!,
        ...tasks.map(({ source, metric }) => score(data.results[source]![metric], index, `${file} ${source}.${metric}`)),
      ]);
    });
  }

  const header = ['model', 'corpus', 'run', 'step', 'final', 'tokens', ...tasks.map((task) => `task:${task.benchmark}`)];
  const noItems = tasks.filter((task) => task.items === undefined).map((task) => task.benchmark);

  return {
    id: RELEASE,
    metadata: {
      id: RELEASE,
      title: 'What Language Model to Train if You Have One Million GPU Hours?',
      authors: ['Teven Le Scao', 'Thomas Wang', 'Daniel Hesslow', 'Lucile Saulnier', 'Stas Bekman', 'et al.'],
      year: 2022,
      venue: 'Findings of EMNLP 2022',
      arxiv: '2210.15424',
      provenance: {
        repository: 'https://github.com/bigscience-workshop/bigscience',
        commit: '9e64edec2ad1fb9263bf39ba616a84ff64b4d947',
        files: RUNS.map(([file, folder]) => `evaluation/results/${folder}/${file}`),
        licence: 'Apache-2.0',
        importer: 'pipeline/import/lescao2022.ts',
        derivation: [
          'Each of the five files is one training run of the same 1.3B-parameter model on a different corpus; a run is identified by its file and its corpus.',
          'One row per evaluated checkpoint: step is the checkpoint number and tokens the token count the file lists beside it (the file gives tokens directly, so no batch size is assumed); final marks the last evaluated checkpoint of each run.',
          'Scores are copied unchanged. Metric per task, the same in every run: acc_norm (length-normalized) where the file has it, because that is closest to how the other studies in this registry score multiple-choice items; acc otherwise; for mc_taco, which has neither, exact match (em: every candidate answer of a question judged right).',
          'mrpc and qqp also report F1, mc_taco also F1, lambada also perplexity; these are not imported (one score per task).',
          'Task ids are canonical benchmark ids from studies/vocabulary.json, reached through its aliases (e.g. lambada → lambada_openai, logiqa → logi_qa, sst → sst2).',
          'Item counts are recovered from the standard errors as n = p(1−p)/se² + 1 (the harness uses the sample variance); every checkpoint of every run gives the same whole number for each task with a standard error.',
          'Chance is one over the number of answer options where that is fixed; null for open-ended tasks (LAMBADA, TriviaQA, WebQuestions), for MultiRC and MC-TACO (scored over several candidate answers per question) and for HEAD-QA (option count not given by the release).',
          'x is derived from training tokens (log-tokens): the release has one model size and no validation loss, so tokens are the only scale variable.',
        ].join(' '),
      },
      harness: { name: 'lm-evaluation-harness (zero-shot)' },
      observations: {
        file: 'observations.csv',
        level: 'checkpoint',
        checkpoints: {
          use: 'all',
          why: 'The release evaluates no checkpoint before step 19,500 (about 10B tokens, 9% of the tokens of the last evaluated checkpoint), so there is no early-training point to leave out; every evaluated checkpoint is a point of its corpus\'s token curve.',
        },
        corpora: RUNS.map(([, , , id, name]) => ({ id, name })),
        scaleVariables: [{ id: 'tokens', kind: 'tokens', unit: 'count' }],
        validationSets: [],
        x: { kind: 'log-tokens', why: 'One model size and no validation loss in the release: the curve of each corpus runs over the tokens seen (the paper\'s one-size ladder setting).' },
        tasks: tasks.map(({ source, metric, benchmark, items }) => zeroShotTaskMetadata(benchmark, RELEASE, harnessScoring(metric, source, items))),
        excludedTasks: [
          { id: 'mrpc f1, qqp f1, mc_taco f1', reason: 'Second scores of tasks already imported with one score (accuracy for mrpc and qqp, exact match for mc_taco).' },
          { id: 'lambada ppl', reason: 'A perplexity on the LAMBADA passages, not a task score; the release has no held-out validation loss to use as x.' },
        ],
        notes: [
          `Items are omitted where the release gives no standard error: ${noItems.length ? noItems.join(', ') : 'none'}.`,
          'The five runs evaluate different subsets of checkpoints (34 to 66); every run shares the last evaluated step, 117,000.',
        ],
      },
    },
    files: { 'observations.csv': { header, rows } },
  };
}

function readRun(path: string): RunFile {
  const data = JSON.parse(readFileSync(path, 'utf8')) as RunFile;
  if (!Array.isArray(data.tokens) || !Array.isArray(data.checkpoints) || data.tokens.length !== data.checkpoints.length) {
    throw new Error(`${RELEASE}: ${path}: expected arrays tokens and checkpoints of equal length`);
  }
  return data;
}

function zipWithErrors(metrics: Record<string, number[]>, metric: HarnessMetric): [number, number][] {
  const errors = metrics[`${metric}_stderr`];
  return errors ? metrics[metric]!.map((p, i): [number, number] => [p, errors[i]!]) : [];
}

function score(values: number[] | undefined, index: number, where: string): number {
  const value = values?.[index];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${RELEASE}: ${where}: expected a score in [0, 1] at checkpoint ${index + 1}`);
  return value;
}
