/**
 * Importer for Michaelov & Bergen 2023, inverse-scaling tasks through Pythia training
 * (jmichaelov/emergent-inabilities): one run per Pythia size, one row per released checkpoint,
 * ten Inverse Scaling Prize tasks and TruthfulQA. No validation loss: x is derived from training compute 6·N·D (see observations.x).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { benchmarkLookup, readVocabulary } from './benchmark-names.ts';
import type { ImportedStudy } from './study-writer.ts';

const ID = 'michaelov2023';

/** Tokens per Pythia optimizer step: 1,024 sequences of 2,048 tokens. */
export const TOKENS_PER_STEP = 2_097_152;

/** Every Pythia model of the release is a standard (not deduplicated) one. */
const CORPUS = { id: 'pile', name: 'The Pile (standard Pythia models, not deduplicated)' };

const NAMES: Record<string, string> = {
  isp_hindsight_neglect: 'Hindsight Neglect', isp_into_the_unknown: 'Into the Unknown', isp_memo_trap: 'Memo Trap',
  isp_modus_tollens: 'Modus Tollens', isp_neqa: 'NeQA', isp_pattern_matching_suppression: 'Pattern Matching Suppression',
  isp_redefine: 'Redefine', isp_repetitive_algebra: 'Repetitive Algebra', isp_resisting_correction: 'Resisting Correction',
  isp_sig_figs: 'Sig Figs', truthfulqa_mc1: 'TruthfulQA MC1', truthfulqa_mc2: 'TruthfulQA MC2',
};

export const SOURCE = {
  repository: 'https://github.com/jmichaelov/emergent-inabilities',
  commit: 'eb36a6c85b852601f283c4a045221b44373fb987',
  licence: 'MIT (Copyright (c) 2023 James A. Michaelov)',
};

/** Nominal parameter count from a Pythia model name, e.g. `EleutherAI/pythia-1.4b` → 1.4e9. */
export function nominalParameters(modelName: string): number {
  const match = /pythia-(\d+(?:\.\d+)?)([mb])$/i.exec(modelName);
  if (!match) throw new Error(`${ID}: cannot read a size from model name ${JSON.stringify(modelName)}`);
  return Number(`${match[1]}e${match[2]!.toLowerCase() === 'm' ? 6 : 9}`);
}

/** The step of a revision name such as `step143000`. */
export function stepOf(revision: string): number {
  const match = /^step(\d+)$/.exec(revision);
  if (!match) throw new Error(`${ID}: revision ${JSON.stringify(revision)} is not step<N>`);
  return Number(match[1]);
}

/**
 * Item count from accuracies and their standard errors. The harness's standard error is the sample
 * standard deviation over items (n − 1 in the denominator) divided by √n, so for a proportion p,
 * se² = p(1 − p)/(n − 1) and n = p(1 − p)/se² + 1. Rows with p at 0 or 1 (se = 0) say nothing.
 * Returns the count when every informative row gives the same whole number, else undefined (e.g.
 * for a score that is not a proportion, whose standard error follows no such rule).
 */
export function itemsFromStandardErrors(rows: readonly { accuracy: number; se: number }[]): number | undefined {
  let items: number | undefined;
  for (const { accuracy, se } of rows) {
    if (!(se > 0) || accuracy <= 0 || accuracy >= 1) continue;
    const n = (accuracy * (1 - accuracy)) / (se * se) + 1;
    if (Math.abs(n - Math.round(n)) > 0.01) return undefined;
    if (items !== undefined && items !== Math.round(n)) return undefined;
    items = Math.round(n);
  }
  return items;
}

interface SourceRow {
  ModelName: string;
  ModelRevision: string;
  Task: string;
  Accuracy: string;
  Accuracy_SE: string;
}

export function importMichaelov2023(sourceDir: string): ImportedStudy {
  const benchmarkOf = benchmarkLookup(readVocabulary(), ID);
  const parsed = Papa.parse<SourceRow>(readFileSync(join(sourceDir, 'all_results.tsv'), 'utf8'), { header: true, delimiter: '\t', skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`${ID}: all_results.tsv: row ${parsed.errors[0]!.row}: ${parsed.errors[0]!.message}`);

  const taskIds = [...new Set(parsed.data.map((row) => row.Task))].sort();
  const checkpoints = new Map<string, { run: string; params: number; step: number; scores: Map<string, number> }>();
  const standardErrors = new Map<string, { accuracy: number; se: number }[]>(taskIds.map((id) => [id, []]));
  for (const row of parsed.data) {
    const run = row.ModelName.replace(/^EleutherAI\//, '');
    const step = stepOf(row.ModelRevision);
    const key = `${run}@${step}`;
    const accuracy = Number(row.Accuracy);
    const se = Number(row.Accuracy_SE);
    if (!(accuracy >= 0 && accuracy <= 1)) throw new Error(`${ID}: ${key} ${row.Task}: accuracy ${JSON.stringify(row.Accuracy)} is not a fraction`);
    const checkpoint = checkpoints.get(key) ?? { run, params: nominalParameters(row.ModelName), step, scores: new Map() };
    if (checkpoint.scores.has(row.Task)) throw new Error(`${ID}: ${key} ${row.Task} appears twice`);
    checkpoint.scores.set(row.Task, accuracy);
    checkpoints.set(key, checkpoint);
    standardErrors.get(row.Task)!.push({ accuracy, se });
  }

  const ordered = [...checkpoints.entries()].sort(([, a], [, b]) => a.params - b.params || a.step - b.step);
  const finalStep = new Map<string, number>();
  for (const [, c] of ordered) finalStep.set(c.run, Math.max(finalStep.get(c.run) ?? 0, c.step));

  const tasks = taskIds.map((id) => {
    const items = itemsFromStandardErrors(standardErrors.get(id)!);
    const truthful = id.startsWith('truthfulqa');
    return {
      id,
      name: NAMES[id] ?? id,
      benchmark: benchmarkOf(id),
      shots: 0,
      ...(items !== undefined ? { items } : {}),
      // Every Inverse Scaling Prize item offers two answers; TruthfulQA's number of answers varies by question.
      chance: truthful ? null : 0.5,
      metric: 'accuracy',
      unit: 'fraction',
      format: 'multiple choice',
      ...(id === 'truthfulqa_mc2' ? { variant: 'mc2: normalized probability on the true answers' } : {}),
    };
  });
  const withoutItems = tasks.filter((task) => !('items' in task)).map((task) => task.id);

  const rows = ordered.map(([key, c]) => [
    key,
    CORPUS.id,
    c.run,
    c.step,
    c.step === finalStep.get(c.run),
    c.params,
    c.step * TOKENS_PER_STEP,
    ...taskIds.map((id) => c.scores.get(id) ?? null),
  ]);
  const runs = [...finalStep.keys()];
  const steps = [...new Set(ordered.map(([, c]) => c.step))].sort((a, b) => a - b);
  const header = ['model', 'corpus', 'run', 'step', 'final', 'params', 'tokens', ...taskIds.map((id) => `task:${id}`)];

  return {
    id: ID,
    metadata: {
      id: ID,
      title: 'Emergent Inabilities? Inverse Scaling Over the Course of Pretraining',
      authors: ['James A. Michaelov', 'Benjamin K. Bergen'],
      year: 2023,
      venue: 'Findings of EMNLP',
      arxiv: '2305.14681',
      provenance: {
        ...SOURCE,
        files: ['results/all_results.tsv'],
        importer: 'pipeline/import/michaelov2023.ts',
        derivation:
          'One row per (model, revision) pair of all_results.tsv, one column per Task holding its Accuracy unchanged (already a fraction; the release gives one score per task, so there is no acc/acc_norm choice). ' +
          `The run is the Pythia size (the model name without EleutherAI/), the step the number in the revision name, and the run's largest step is its final checkpoint. params is the nominal size in the model name (70m = 7×10^7), not the exact count; tokens = step × ${TOKENS_PER_STEP.toLocaleString('en-US')} (1,024 sequences of 2,048 tokens per step). ` +
          'Items are recovered from the standard errors: the harness divides the sample standard deviation (n − 1) by √n, so n = p(1 − p)/SE² + 1; the importer keeps it only when every row with 0 < p < 1 gives the same whole number. ' +
          'Chance is 0.5 for the ten Inverse Scaling Prize tasks (two answers per item) and null for TruthfulQA, whose number of answers varies by question (and whose MC2 score is a probability mass). ' +
          "Shots are 0: the repository's run script passes no few-shot option to the harness (some prize prompts carry their own examples inside the item).",
      },
      harness: { name: 'EleutherAI lm-evaluation-harness (with the authors\' Inverse Scaling Prize tasks)' },
      observations: {
        file: 'observations.csv',
        level: 'checkpoint',
        checkpoints: {
          use: 'all',
          why: `All ${steps.length} released checkpoints of each run (steps ${steps.join(', ')}): every one is past the learning-rate warm-up (1% of the 143,000 steps), and the study is about how these tasks change during training, so the early checkpoints carry its signal. Checkpoints of one run are correlated; the run is the resampling unit.`,
        },
        corpora: [CORPUS],
        scaleVariables: [
          { id: 'params', kind: 'parameters', unit: 'count' },
          { id: 'tokens', kind: 'tokens', unit: 'count' },
        ],
        validationSets: [],
        x: {
          kind: 'log-compute',
          why: 'No validation loss is released, so x is the training compute 6·N·D of each checkpoint (as ln(10^26 / (6·N·D))): it puts every checkpoint of every size on one axis, where log-tokens would give the eight sizes the same eight x values.',
        },
        tasks,
        excludedTasks: [],
        notes: [
          `${runs.length} runs (${runs.join(', ')}) × ${steps.length} checkpoints.`,
          'These tasks were chosen because larger models do worse on them; several are expected to be inverse or nonmonotonic, not predictable.',
          ...(withoutItems.length > 0 ? [`No item count could be recovered for ${withoutItems.join(', ')} (a score that is not a proportion of items), so items is omitted there.`] : []),
          'biderman2023 holds the same Pythia checkpoints; a loss-based x for these runs could come from its WikiText figures where the checkpoint matches, which is not done here.',
        ],
      },
    },
    files: { 'observations.csv': { header, rows } },
  };
}
