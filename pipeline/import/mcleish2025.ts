/**
 * Importer for McLeish et al. 2025 (Gemstones): 22 decoder models on a width × depth grid, each
 * evaluated at 35 checkpoints. Scores and standard errors come from two parquet tables, held-out losses
 * on FineWeb-Edu and DCLM text from two JSON-lines files; they join on (model, step).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchmarkLookup, readVocabulary } from './benchmark-names.ts';
import { zeroShotTaskMetadata } from './lm-eval-harness.ts';
import { readParquetRows } from './parquet.ts';
import { itemsFromStandardErrors } from './standard-errors.ts';
import type { ImportedStudy } from './study-writer.ts';

const RELEASE = 'mcleish2025';
const INDEX_COLUMN = '__index_level_0__';

/** [column id, file, canonical name in studies/vocabulary.json, display name] */
const VALIDATION_SETS = [
  ['fineweb_edu', 'fineweb_edu_losses_combined.jsonl', 'fineweb-edu', 'FineWeb-Edu (held-out text)'],
  ['dclm', 'fineweb_dclm_losses_combined.jsonl', 'dclm', 'DCLM (held-out text)'],
] as const;

interface LossLine {
  run_name: string;
  width: number;
  depth: number;
  step: number;
  tokens: number;
  params_active_precise: number;
  final_loss: number;
}

interface Checkpoint {
  run: string;
  width: number;
  depth: number;
  step: number;
  tokens: number;
  params: number;
  losses: number[];
}

/** Row label of the score tables: `Gemstone-<width>x<depth>-main` or `…-step_<N>`. */
export function parseRowLabel(label: string): { run: string; step: number | 'main' } {
  const match = /^(Gemstone-\d+x\d+)-(?:(main)|step_(\d+))$/.exec(label);
  if (!match) throw new Error(`${RELEASE}: row label ${JSON.stringify(label)} is not Gemstone-<width>x<depth>-main or -step_<N>`);
  return { run: match[1]!, step: match[2] ? 'main' : Number(match[3]) };
}

export async function importMcleish2025(sourceDir: string): Promise<ImportedStudy> {
  const benchmarkOf = benchmarkLookup(readVocabulary(), RELEASE);
  const scores = await readParquetRows(join(sourceDir, 'light_eval_df.parquet'));
  const errors = await readParquetRows(join(sourceDir, 'light_eval_df_err.parquet'));
  const checkpoints = readCheckpoints(sourceDir);

  const columns = Object.keys(scores[0] ?? {}).filter((name) => name !== INDEX_COLUMN);
  const tasks = columns
    .map((column) => ({ column, benchmark: benchmarkOf(column) }))
    .sort((a, b) => a.benchmark.localeCompare(b.benchmark));
  const errorByLabel = new Map(errors.map((row) => [String(row[INDEX_COLUMN]), row]));

  // The final checkpoint is labelled "main"; it is the last step the loss files list for its run.
  const lastStep = new Map<string, number>();
  for (const point of checkpoints.values()) lastStep.set(point.run, Math.max(lastStep.get(point.run) ?? 0, point.step));

  const joined = scores.map((row) => {
    const label = String(row[INDEX_COLUMN]);
    const { run, step: labelled } = parseRowLabel(label);
    const step = labelled === 'main' ? lastStep.get(run) : labelled;
    const point = step === undefined ? undefined : checkpoints.get(`${run}@${step}`);
    if (!point) throw new Error(`${RELEASE}: light_eval_df.parquet row ${label} has no held-out loss in the JSON-lines files`);
    const error = errorByLabel.get(label);
    if (!error) throw new Error(`${RELEASE}: light_eval_df_err.parquet has no row ${label}`);
    return { point, final: labelled === 'main', values: tasks.map(({ column }) => cellScore(row[column], `${label} ${column}`)), errors: tasks.map(({ column }) => Number(error[column])) };
  });
  const keys = joined.map(({ point }) => `${point.run}@${point.step}`);
  if (new Set(keys).size !== keys.length) throw new Error(`${RELEASE}: two score rows name the same checkpoint`);
  if (joined.length !== checkpoints.size) throw new Error(`${RELEASE}: ${checkpoints.size} checkpoints have losses but ${joined.length} have scores`);
  joined.sort((a, b) => a.point.width - b.point.width || a.point.depth - b.point.depth || a.point.step - b.point.step);

  const items = tasks.map((_, t) => itemsFromStandardErrors(joined.map((row): [number, number] => [row.values[t]!, row.errors[t]!])));
  const rows = joined.map(({ point, final, values }) => [
    `${point.run}@${point.step}`, 'gemstones-mix', point.run, point.step, final, point.params, point.tokens, ...point.losses, ...values,
  ]);
  const header = [
    'model', 'corpus', 'run', 'step', 'final', 'params', 'tokens',
    ...VALIDATION_SETS.map(([id]) => `loss:${id}`),
    ...tasks.map(({ benchmark }) => `task:${benchmark}`),
  ];
  const withoutItems = tasks.filter((_, t) => items[t] === undefined).map(({ column }) => column);

  return {
    id: RELEASE,
    metadata: {
      id: RELEASE,
      title: 'Gemstones: A Model Suite for Multi-Faceted Scaling Laws',
      authors: ['Sean McLeish', 'John Kirchenbauer', 'David Yu Miller', 'Siddharth Singh', 'Abhinav Bhatele', 'Micah Goldblum', 'Ashwinee Panda', 'Tom Goldstein'],
      year: 2025,
      venue: 'NeurIPS 2025',
      arxiv: '2502.06857',
      provenance: {
        repository: 'https://github.com/mcleish7/gemstone-scaling-laws',
        commit: '5f420478f6057b0cbb4d13405fb10ca64675bccb',
        files: ['light_eval_df.parquet', 'light_eval_df_err.parquet', ...VALIDATION_SETS.map(([, file]) => file)],
        licence: 'MIT (Copyright (c) 2025 Sean McLeish et al.)',
        importer: 'pipeline/import/mcleish2025.ts',
        derivation: [
          'A run is one Gemstone model (one width × depth pair), named as in the release; a row is one of its evaluated checkpoints.',
          'The score tables are read with hyparquet; each row label names a model and a checkpoint (step_<N>, or main for the final one).',
          'main is matched to the last step the loss files list for its model and marked final; every other row is matched by step.',
          'Losses are the final_loss field of the two JSON-lines files (held-out cross-entropy in nats per token), joined on model and step; params is their params_active_precise and tokens their tokens field, unchanged.',
          'Scores are copied unchanged as accuracies; task ids are the canonical benchmark ids reached through the aliases in studies/vocabulary.json (arc:easy → arc_easy, arc:challenge → arc_challenge).',
          'Item counts are recovered from the standard-error table as n = p(1−p)/se² + 1 where every checkpoint gives the same whole number (1,000 items, 500 for OpenBookQA: the evaluation used subsets); for mmlu the error is not that of one binomial mean (the score averages 57 subjects), so its item count is left out.',
          'Chance is one over the number of answer options of each benchmark.',
          'x is the FineWeb-Edu held-out loss; DCLM is kept as a second validation set for sensitivity.',
        ].join(' '),
      },
      harness: { name: 'lighteval (zero-shot)' },
      observations: {
        file: 'observations.csv',
        level: 'checkpoint',
        checkpoints: {
          use: 'all',
          why: 'x is a measured held-out loss, so training progress is on the x axis itself; the first evaluated checkpoint is 1/35 of the way through training and none is left out. Checkpoints of one model are not independent: resampling draws whole runs.',
        },
        corpora: [{ id: 'gemstones-mix', name: 'Gemstones pretraining data (one mixture for every model)' }],
        scaleVariables: [
          { id: 'params', kind: 'parameters', unit: 'count' },
          { id: 'tokens', kind: 'tokens', unit: 'count' },
        ],
        validationSets: VALIDATION_SETS.map(([id, , canonical, name]) => ({ id, canonical, name })),
        x: { kind: 'loss', set: 'fineweb_edu', why: 'The held-out loss the release gives for every checkpoint of every model; the paper\'s form (error against loss) applies directly. FineWeb-Edu is listed first in the release.' },
        tasks: tasks.map(({ column, benchmark }, t) =>
          zeroShotTaskMetadata(benchmark, RELEASE, {
            items: items[t],
            metric: 'accuracy',
            format: 'other',
            variant: `unknown: the release does not say whether the accuracy is length-normalized; source column ${column}`,
          }),
        ),
        excludedTasks: [],
        notes: [
          `Item counts are omitted for ${withoutItems.join(', ') || 'no task'} (see the derivation).`,
          'format is "other" for every task: the release does not say how lighteval formatted the prompts.',
          'other_validation_losses/ (FineWeb, FineWeb-Edu and DCLM per model) is not imported: its FineWeb-Edu and DCLM values are the ones imported here at more digits, and FineWeb has 4 checkpoints per model only.',
        ],
      },
    },
    files: { 'observations.csv': { header, rows } },
  };
}

/** Both loss files, joined on (model, step); they must list the same checkpoints with the same scale. */
function readCheckpoints(sourceDir: string): Map<string, Checkpoint> {
  const checkpoints = new Map<string, Checkpoint>();
  VALIDATION_SETS.forEach(([, file], setIndex) => {
    const lines = readFileSync(join(sourceDir, file), 'utf8').split('\n');
    lines.forEach((text, index) => {
      if (text.trim() === '') return;
      const where = `${file}:${index + 1}`;
      let line: LossLine;
      try {
        line = JSON.parse(text) as LossLine;
      } catch {
        throw new Error(`${RELEASE}: ${where}: not a JSON object`);
      }
      const { run_name: run, step, width, depth, tokens, params_active_precise: params, final_loss: loss } = line;
      for (const [field, value] of Object.entries({ step, width, depth, tokens, params_active_precise: params, final_loss: loss })) {
        if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new Error(`${RELEASE}: ${where}: field ${field} must be a positive number`);
      }
      if (run !== `Gemstone-${width}x${depth}`) throw new Error(`${RELEASE}: ${where}: run_name does not match width ${width} and depth ${depth}`);
      const key = `${run}@${step}`;
      const known = checkpoints.get(key);
      if (setIndex === 0) {
        if (known) throw new Error(`${RELEASE}: ${where}: checkpoint ${key} listed twice`);
        checkpoints.set(key, { run, width, depth, step, tokens, params, losses: [loss] });
      } else {
        if (!known || known.losses.length !== setIndex) throw new Error(`${RELEASE}: ${where}: checkpoint ${key} is not in ${VALIDATION_SETS[0][1]} or is listed twice`);
        if (known.tokens !== tokens || known.params !== params) throw new Error(`${RELEASE}: ${where}: tokens or params differ from ${VALIDATION_SETS[0][1]}`);
        known.losses.push(loss);
      }
    });
  });
  for (const [key, point] of checkpoints) {
    if (point.losses.length !== VALIDATION_SETS.length) throw new Error(`${RELEASE}: checkpoint ${key} has no loss in ${VALIDATION_SETS[point.losses.length]![1]}`);
  }
  return checkpoints;
}

function cellScore(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${RELEASE}: ${where}: expected a score in [0, 1]`);
  return value;
}
