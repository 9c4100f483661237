/**
 * Importer for Biderman et al. 2023, Pythia v1: 15 models (8 sizes, standard and deduplicated Pile; the
 * release has no standard-Pile 1B), zero-shot lm-evaluation-harness scores at every released checkpoint.
 * The release has no validation loss: x is ln(10^26 / (6·N·D)), parameters from the GPT-NeoX configurations the
 * v0 files carry, tokens from the step.
 */
import { join } from 'node:path';
import { benchmarkLookup, readVocabulary } from './benchmark-names.ts';
import { excludedFamilies, parametersBySize, PYTHIA_CORPORA, PYTHIA_SOURCE, PYTHIA_STUDY, pythiaTaskMetadata, pythiaTasks, readZeroShot, v0Step } from './pythia.ts';
import type { ImportedStudy } from './study-writer.ts';

const RELEASE = 'biderman2023';

/** Tokens per optimizer step in Pythia v1: 1,024 sequences of 2,048 tokens. */
export const V1_TOKENS_PER_STEP = 1024 * 2048;

/** Share of the 143,000 training steps before which checkpoints are not used (the warm-up). */
const WARMUP_FRACTION = 0.01;

export const v1Step = (file: string): number | undefined => {
  const match = /_step(\d+)\.json$/.exec(file);
  return match ? Number(match[1]) : undefined;
};

export function importBiderman2023(sourceDir: string): ImportedStudy {
  const benchmarkOf = benchmarkLookup(readVocabulary(), RELEASE);
  const all = readZeroShot(join(sourceDir, 'pythia-v1'), RELEASE, v1Step);
  const parameters = parametersBySize(readZeroShot(join(sourceDir, 'pythia-v0'), RELEASE, v0Step), RELEASE);
  // Step 0 is the initialisation: no tokens seen, so ln(10^26 / (6·N·D)) is undefined there.
  const checkpoints = all.filter((c) => c.step > 0);
  const tasks = pythiaTasks(checkpoints, RELEASE, [])
    .map((task) => ({ ...task, benchmark: benchmarkOf(task.source) }))
    .sort((a, b) => a.benchmark.localeCompare(b.benchmark));
  const lastStep = new Map<string, number>();
  for (const c of checkpoints) lastStep.set(c.run, Math.max(lastStep.get(c.run) ?? 0, c.step));

  const rows = checkpoints.map((c) => {
    const params = parameters.get(c.size);
    if (params === undefined) throw new Error(`${RELEASE}: no v0 configuration for size ${c.size}`);
    return [
      `${c.run}@${c.step}`, c.deduped ? 'pile-deduped' : 'pile', c.run, c.step, c.step === lastStep.get(c.run), params, c.step * V1_TOKENS_PER_STEP,
      ...tasks.map((task) => task.score(c.results)),
    ];
  });
  const header = ['model', 'corpus', 'run', 'step', 'final', 'params', 'tokens', ...tasks.map((task) => `task:${task.benchmark}`)];
  const families = excludedFamilies(checkpoints);
  const runs = new Set(checkpoints.map((c) => c.run));

  return {
    id: RELEASE,
    metadata: {
      id: RELEASE,
      ...PYTHIA_STUDY,
      provenance: {
        ...PYTHIA_SOURCE,
        files: ['evals/pythia-v1/<model>/zero-shot/<size>_step<N>.json', 'evals/pythia-v0/<model>/zero-shot/*.json (config.model_args only: the GPT-NeoX architecture of each size)'],
        importer: 'pipeline/import/biderman2023.ts',
        derivation: [
          `A run is one Pythia v1 model, a size trained on the standard or the deduplicated Pile (${runs.size} runs; the release has no v1 evaluation of the standard-Pile 1B model). A row is one zero-shot result file of the run; its step is read from the file name.`,
          'Every run saw the same data in the same order with 1,024 sequences of 2,048 tokens per step, so tokens = step × 2,097,152.',
          'The step-0 file (the untrained initialisation) is left out: it has seen no tokens, so log compute is undefined there.',
          'params is the parameter count of the size computed from the GPT-NeoX configuration stored in the v0 result files of that size (untied input and output embeddings 2·V·d, 12d² + 13d per layer, 2d for the final layer norm); this assumes each v1 model keeps the v0 architecture of its size, since the v1 files carry no configuration of their own.',
          'Zero-shot files only: they cover 27 checkpoints a model, the five-shot ones 15, and the tasks are the same.',
          'Metric: acc_norm (length-normalized) where the harness reports it, because that is closest to how the other studies of this registry score multiple-choice items; acc where it is the only accuracy (LAMBADA, WinoGrande, WSC). Scores are copied unchanged.',
          'MMLU is one task: the item-weighted mean of its 57 hendrycksTest subjects (the share of all 14,042 questions answered right), each subject\'s item count recovered from its standard errors as n = p(1−p)/se² + 1 (the harness uses the sample variance); a checkpoint missing a subject would get no MMLU score. The other tasks\' item counts are recovered the same way.',
          'Task ids are canonical benchmark ids from studies/vocabulary.json (hendrycksTest → mmlu, logiqa → logi_qa).',
          'Chance is one over the number of answer options; null for LAMBADA (open vocabulary).',
          'x is log compute, ln(10^26 / (6·N·D)): v1 has no validation loss, and every size shares one token schedule, so tokens alone would not tell the sizes apart.',
        ].join(' '),
      },
      harness: { name: 'lm-evaluation-harness (zero-shot)' },
      observations: {
        file: 'observations.csv',
        level: 'checkpoint',
        checkpoints: {
          use: 'after-fraction',
          fraction: WARMUP_FRACTION,
          why: 'The log-spaced early checkpoints (steps 1 to 1,000) are taken during the learning-rate warm-up, the first 1% of the 143,000 steps (warmup 0.01 in the training configurations the release ships with the v0 evaluations); the curves use steps 3,000 to 143,000, every 10,000 steps.',
        },
        corpora: PYTHIA_CORPORA,
        scaleVariables: [
          { id: 'params', kind: 'parameters', unit: 'count' },
          { id: 'tokens', kind: 'tokens', unit: 'count' },
        ],
        validationSets: [],
        x: { kind: 'log-compute', why: 'Pythia v1 releases no validation loss; compute 6·N·D orders checkpoints of one model by training and models of one step by size.' },
        tasks: tasks.map((task) => pythiaTaskMetadata(task, RELEASE)),
        excludedTasks: [
          ...families.map(({ id, pattern, count }) =>
            id === 'crows_pairs'
              ? { id: `${pattern} (${count} subsets)`, reason: 'Bias measures (likelihood difference, share of stereotyped completions), not scores where higher is better.' }
              : { id: `${pattern} (${count} subtasks)`, reason: 'Imported as one aggregate task (item-weighted mean), not as separate subtasks.' },
          ),
          { id: 'lambada_openai ppl', reason: 'A perplexity on the LAMBADA passages, not a task score.' },
          { id: 'five-shot evaluations (pythia-v1/*/five-shot)', reason: 'The same tasks at 15 checkpoints instead of 27; one setting per study keeps the curves comparable, and zero-shot has more checkpoints.' },
        ],
        notes: [
          'The untrained initialisation (step 0) is not in the records; steps 1 to 1,000 are in the records but not used by the curves (see checkpoints).',
          'biderman2023-v0 holds the earlier v0 suite of the same release, which has a WikiText loss at every checkpoint of 10 of its 16 runs.',
        ],
      },
    },
    files: { 'observations.csv': { header, rows } },
  };
}
