/**
 * Importer for the Pythia v0 suite of Biderman et al. 2023: 16 models, zero-shot lm-evaluation-harness
 * scores at about 15 checkpoints each, and for 10 of the models a WikiText bits-per-byte loss in the
 * same files — so its curves can use the paper's form, error against a held-out loss.
 */
import { join } from 'node:path';
import { benchmarkLookup, readVocabulary } from './benchmark-names.ts';
import { excludedFamilies, neoxParameters, PYTHIA_CORPORA, PYTHIA_SOURCE, PYTHIA_STUDY, pythiaTaskMetadata, pythiaTasks, readZeroShot, type PythiaCheckpoint, v0Step } from './pythia.ts';
import type { ImportedStudy } from './study-writer.ts';

const RELEASE = 'biderman2023-v0';

/** Tokens every Pythia run sees over its whole training: 143,000 steps of 2,097,152 tokens. */
export const PYTHIA_TOTAL_TOKENS = 143_000 * 2_097_152;

/** Largest |bits_per_byte − log2(byte_perplexity)| accepted as the same number. */
const UNIT_TOLERANCE = 1e-9;

interface NeoxConfig {
  hidden_size: number;
  num_layers: number;
  padded_vocab_size: number;
  train_iters: number;
}

/** Tokens at a step of a run that spreads the full token budget over train_iters steps. */
export function v0Tokens(step: number, trainIters: number): number {
  return (step * PYTHIA_TOTAL_TOKENS) / trainIters;
}

/** WikiText bits per byte of a checkpoint, checked against the byte perplexity the file also gives. */
export function wikitextBitsPerByte(checkpoint: Pick<PythiaCheckpoint, 'results' | 'file'>): number | null {
  const wikitext = checkpoint.results.wikitext;
  if (!wikitext) return null;
  const { bits_per_byte: bpb, byte_perplexity: perplexity } = wikitext;
  if (typeof bpb !== 'number' || typeof perplexity !== 'number' || !(Math.abs(bpb - Math.log2(perplexity)) <= UNIT_TOLERANCE)) {
    throw new Error(`${RELEASE}: ${checkpoint.file}: wikitext bits_per_byte is not log2(byte_perplexity); the unit is not bits per byte`);
  }
  return bpb;
}

export function importBiderman2023V0(sourceDir: string): ImportedStudy {
  const benchmarkOf = benchmarkLookup(readVocabulary(), RELEASE);
  const evaluated = readZeroShot(join(sourceDir, 'pythia-v0'), RELEASE, v0Step);
  // Only runs with the WikiText loss are on this study's x; the others are listed in the notes.
  const withLoss = new Set(evaluated.filter((c) => c.results.wikitext).map((c) => c.run));
  const runs = [...new Set(evaluated.map((c) => c.run))];
  const withoutLoss = runs.filter((run) => !withLoss.has(run));
  const checkpoints = evaluated.filter((c) => withLoss.has(c.run));
  const tasks = pythiaTasks(checkpoints, RELEASE, ['wikitext'])
    .map((task) => ({ ...task, benchmark: benchmarkOf(task.source) }))
    .sort((a, b) => a.benchmark.localeCompare(b.benchmark));
  const lastStep = new Map<string, number>();
  for (const c of checkpoints) lastStep.set(c.run, Math.max(lastStep.get(c.run) ?? 0, c.step));

  const rows = checkpoints.map((c) => {
    const config = c.modelArgs as NeoxConfig;
    if (typeof config?.train_iters !== 'number') throw new Error(`${RELEASE}: ${c.file}: config.model_args has no train_iters`);
    const final = c.step === lastStep.get(c.run);
    if (final && c.step !== config.train_iters) throw new Error(`${RELEASE}: ${c.file}: the last checkpoint of ${c.run} is not the end of training (train_iters ${config.train_iters})`);
    return [
      `${c.run}@${c.step}`, c.deduped ? 'pile-deduped' : 'pile', c.run, c.step, final, neoxParameters(config), v0Tokens(c.step, config.train_iters), wikitextBitsPerByte(c),
      ...tasks.map((task) => task.score(c.results)),
    ];
  });
  const header = ['model', 'corpus', 'run', 'step', 'final', 'params', 'tokens', 'loss:wikitext', ...tasks.map((task) => `task:${task.benchmark}`)];

  return {
    id: RELEASE,
    metadata: {
      id: RELEASE,
      ...PYTHIA_STUDY,
      title: `${PYTHIA_STUDY.title} (v0 suite)`,
      provenance: {
        ...PYTHIA_SOURCE,
        files: ['evals/pythia-v0/<model>/zero-shot/<model>-0shot-global_step<N>_eval_results_<date>.json'],
        importer: 'pipeline/import/biderman2023-v0.ts',
        derivation: [
          `A run is one Pythia v0 model, a size trained on the standard or the deduplicated Pile (${withLoss.size} runs imported of the ${runs.length} in the release). A row is one zero-shot result file; its step is the global_step in the file name.`,
          'Every Pythia run sees the same token budget, 143,000 × 2,097,152 tokens; the v0 160M, 410M and 1.4B runs spread it over 71,500 steps (train_iters in each file\'s configuration), so tokens = step × 299,892,736,000 / train_iters. The last checkpoint of every run is its train_iters (checked) and is marked final.',
          'params is computed from the GPT-NeoX configuration in each file (untied input and output embeddings 2·V·d, 12d² + 13d per layer, 2d for the final layer norm).',
          'loss:wikitext is the harness\'s wikitext bits_per_byte, in bits per byte as declared (checked: it equals log2 of the byte_perplexity the file also gives); the pipeline converts it to nats per byte (× ln 2).',
          `Only ${withLoss.size} of the ${runs.length} runs have it, at every one of their checkpoints; the other ${withoutLoss.length} (${withoutLoss.join(', ')}) are left out, because without the loss they are not on this study's x.`,
          'Zero-shot files only: the five-shot folders of the 160M, 410M and 1.4B runs hold zero-shot evaluations (num_fewshot 0), and no five-shot file has a WikiText loss.',
          'Metric: acc_norm (length-normalized) where the harness reports it, else acc (LAMBADA, WinoGrande, WSC, BLiMP) (length-normalized scoring is closest to the other studies here). MMLU is the item-weighted mean of its 57 hendrycksTest subjects and BLiMP of its 67 paradigms, each subtask\'s item count recovered from its standard errors as n = p(1−p)/se² + 1; the other tasks\' item counts are recovered the same way.',
          'Task ids are canonical benchmark ids from studies/vocabulary.json. Chance is one over the number of answer options (BLiMP: one of two sentences); null for LAMBADA.',
          'x is the WikiText loss: the only held-out loss in the release, measured at the same checkpoints as the scores.',
        ].join(' '),
      },
      harness: { name: 'lm-evaluation-harness (zero-shot, GPT-NeoX evaluation)' },
      observations: {
        file: 'observations.csv',
        level: 'checkpoint',
        checkpoints: {
          use: 'all',
          why: 'The first evaluated checkpoint of every run is 2% of the way through training, after the 1% learning-rate warm-up, and x is a measured loss; every evaluated checkpoint is used.',
        },
        corpora: PYTHIA_CORPORA,
        scaleVariables: [
          { id: 'params', kind: 'parameters', unit: 'count' },
          { id: 'tokens', kind: 'tokens', unit: 'count' },
        ],
        validationSets: [{ id: 'wikitext', canonical: 'wikitext-2-test', name: 'WikiText-2 test (lm-evaluation-harness wikitext)', unit: 'bits per byte' }],
        x: { kind: 'loss', set: 'wikitext', why: 'The held-out loss of the release, at the same checkpoints as the scores: the paper\'s form, error against loss.' },
        tasks: tasks.map((task) => pythiaTaskMetadata(task, RELEASE)),
        excludedTasks: [
          ...excludedFamilies(checkpoints).map(({ pattern, count }) => ({ id: `${pattern} (${count} subtasks)`, reason: 'Imported as one aggregate task (item-weighted mean), not as separate subtasks.' })),
          { id: 'wikitext', reason: 'A language-modelling loss: imported as the validation set loss:wikitext, not as a task.' },
          { id: 'lambada_openai ppl', reason: 'A perplexity on the LAMBADA passages, not a task score.' },
          { id: 'five-shot evaluations (pythia-v0/*/five-shot)', reason: 'Zero-shot only (see the derivation); winobias/ is a separate bias evaluation and is not imported either.' },
        ],
        notes: [
          'The v1 suite of the same release (retrained models, 27 checkpoints each, no validation loss) is not imported yet.',
        ],
      },
    },
    files: { 'observations.csv': { header, rows } },
  };
}
