/**
 * Importer for Bhagia et al. 2024, the OLMo model ladder (allenai/OLMo-ladder).
 * Every checkpoint of the 30 ladder runs (5 sizes x 5 token multipliers, plus a rerun of each 1x run);
 * the last row of each run is marked final. The 7B/13B target runs are left out (see notes).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { ImportedStudy } from './study-writer.ts';

const VALIDATION_SETS = [
  ['c4_en', 'c4-validation', 'C4 validation (en)'],
  ['dolma_books', 'dolma-books', 'Dolma books'],
  ['dolma_common-crawl', 'dolma-common-crawl', 'Dolma Common Crawl'],
  ['dolma_pes2o', 'dolma-pes2o', 'Dolma peS2o'],
  ['dolma_reddit', 'dolma-reddit', 'Dolma Reddit'],
  ['dolma_stack', 'dolma-stack', 'Dolma Stack'],
  ['dolma_wiki', 'dolma-wiki', 'Dolma Wikipedia'],
  ['ice', 'ice', 'ICE'],
  ['m2d2_s2orc', 'm2d2-s2orc', 'M2D2 S2ORC'],
  ['pile', 'pile', 'The Pile'],
  ['wikitext_103', 'wikitext-103', 'WikiText-103'],
] as const;

/** [task id, source column, benchmark, display name, chance (1 / number of answer options), variant] */
const TASKS = [
  ['mmlu_stem', 'mmlu_stem_test_rc_5shot_len_norm', 'mmlu', 'MMLU STEM', 0.25, 'length-normalized'],
  ['mmlu_humanities', 'mmlu_humanities_test_rc_5shot_len_norm', 'mmlu', 'MMLU humanities', 0.25, 'length-normalized'],
  ['mmlu_social_sciences', 'mmlu_social_sciences_test_rc_5shot_len_norm', 'mmlu', 'MMLU social sciences', 0.25, 'length-normalized'],
  ['mmlu_other', 'mmlu_other_test_rc_5shot_len_norm', 'mmlu', 'MMLU other', 0.25, 'length-normalized'],
  ['hellaswag', 'hellaswag_val_rc_5shot_len_norm', 'hellaswag', 'HellaSwag', 0.25, 'length-normalized'],
  ['arc_easy', 'arc_easy_test_rc_5shot_len_norm', 'arc_easy', 'ARC-Easy', 0.25, 'length-normalized'],
  ['arc_challenge', 'arc_challenge_test_rc_5shot_len_norm', 'arc_challenge', 'ARC-Challenge', 0.25, 'length-normalized'],
  ['boolq', 'boolq_val_rc_5shot_acc', 'boolq', 'BoolQ', 0.5, 'plain accuracy'],
  ['csqa', 'csqa_val_rc_5shot_len_norm', 'commonsense_qa', 'CommonsenseQA', 0.2, 'length-normalized'],
  ['openbookqa', 'openbookqa_test_rc_5shot_len_norm', 'openbookqa', 'OpenBookQA', 0.25, 'length-normalized'],
  ['piqa', 'piqa_val_rc_5shot_len_norm', 'piqa', 'PIQA', 0.5, 'length-normalized'],
  ['socialiqa', 'socialiqa_val_rc_5shot_len_norm', 'siqa', 'SocialIQA', 1 / 3, 'length-normalized'],
  ['winogrande', 'winogrande_val_rc_5shot_len_norm', 'winogrande', 'WinoGrande', 0.5, 'length-normalized'],
] as const;

/** Size label in the run file names → the key of final.json that holds its parameter count. */
const PARAMS_KEY: Record<string, string> = { '190M': '190M', '370M': '370M', '760M': '760M', '1B': '1.3B' };

export function importBhagia2024(sourceDir: string): ImportedStudy {
  const finalJson = JSON.parse(readFileSync(join(sourceDir, 'final.json'), 'utf8')) as Record<string, { n: number }>;
  const runFiles = readdirSync(join(sourceDir, 'ladder-runs'))
    .filter((file) => /^\d+[MB]-[\d.]+xC(-rerun)?\.csv$/.test(file))
    .sort(compareRuns);

  const rows: (string | number | boolean | null)[][] = [];
  for (const file of runFiles) {
    const run = file.slice(0, -'.csv'.length);
    const size = run.split('-')[0]!;
    const paramsKey = PARAMS_KEY[size];
    const params = paramsKey ? finalJson[paramsKey]?.n ?? null : null;
    const table = Papa.parse<Record<string, string>>(readFileSync(join(sourceDir, 'ladder-runs', file), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    table.forEach((record, index) => {
      const step = Number(record._step);
      const cell = (column: string): number => {
        const text = record[column];
        const value = Number(text);
        if (text === undefined || text === '' || !Number.isFinite(value)) throw new Error(`bhagia2024: ${file} step ${step}: no value in ${column}`);
        return value;
      };
      rows.push([
        `${run}@${step}`,
        'olmo-ladder-mix',
        run,
        step,
        index === table.length - 1,
        params,
        cell('throughput/total_tokens'),
        cell('throughput/total_training_Gflops'),
        ...VALIDATION_SETS.map(([source]) => cell(`eval/${source}-validation/CrossEntropyLoss`)),
        ...TASKS.map(([, column]) => cell(`eval/downstream/${column}`)),
      ]);
    });
  }

  const header = [
    'model', 'corpus', 'run', 'step', 'final', 'params', 'tokens', 'flops',
    ...VALIDATION_SETS.map(([source]) => `loss:${lossId(source)}`),
    ...TASKS.map(([id]) => `task:${id}`),
  ];

  return {
    id: 'bhagia2024',
    metadata: {
      id: 'bhagia2024',
      title: 'Establishing Task Scaling Laws via Compute-Efficient Model Ladders',
      authors: ['Akshita Bhagia', 'Jiacheng Liu', 'Alexander Wettig', 'David Heineman', 'Oyvind Tafjord', 'et al.'],
      year: 2024,
      venue: 'arXiv',
      arxiv: '2412.04403',
      provenance: {
        repository: 'https://github.com/allenai/OLMo-ladder',
        commit: '67a3f440f787d020da35e3ca8eeae475fae754f5',
        files: ['src/scripts/paper/data/ladder-runs/<size>-<mult>xC[-rerun].csv', 'src/scripts/paper/configs/final.json'],
        licence: 'Apache-2.0',
        importer: 'pipeline/import/bhagia2024.ts',
        derivation:
          'One row per evaluated checkpoint of each ladder run; the last row of a run is its final model (final = true). Losses are the eleven eval/<set>-validation/CrossEntropyLoss columns; accuracies the 5-shot ranked-classification columns (test split where the source has one, else validation), unchanged. tokens and flops (in gigaflops) from the throughput columns; params from final.json by size label (the 1B runs are its 1.3B entry; final.json has no 3B entry, so 3B params are left empty). Chance accuracy is one over the number of answer options of each benchmark.',
      },
      harness: { name: 'OLMo in-loop evaluation (OLMES-style ranked classification)' },
      observations: {
        file: 'observations.csv',
        level: 'checkpoint',
        checkpoints: {
          use: 'after-fraction',
          fraction: 0.1,
          why: 'Curves use every checkpoint from 10% of its run onwards (and each final one). The first tenth is warm-up and the steepest fall in loss, where accuracy sits at chance and the points say more about the optimiser than about scale. Checkpoints of one run are not independent: the bootstrap draws whole runs.',
        },
        corpora: [{ id: 'olmo-ladder-mix', name: 'OLMo ladder pretraining mix' }],
        scaleVariables: [
          { id: 'params', kind: 'parameters', unit: 'count' },
          { id: 'tokens', kind: 'tokens', unit: 'count' },
          { id: 'flops', kind: 'flops', unit: 'gigaflops' },
        ],
        validationSets: VALIDATION_SETS.map(([source, canonical, name]) => ({ id: lossId(source), canonical, name })),
        tasks: TASKS.map(([id, , benchmark, name, chance, variant]) => ({
          id, name, benchmark, shots: 5, chance, metric: 'accuracy', unit: 'fraction', format: 'cloze', variant,
        })),
        excludedTasks: [
          { id: 'peteish7, peteish13', reason: 'The 7B and 13B target runs are prediction targets with a different column set; not imported yet.' },
        ],
        notes: [
          'The source does not give the number of evaluated items per task; items is omitted and the classifier estimates noise from the data.',
          'Intermediate checkpoints are kept (final = false): curves use the ones the checkpoints rule allows, resampled by run; per-model analyses (extrapolation) use final rows only.',
        ],
      },
    },
    files: { 'observations.csv': { header, rows } },
  };
}

function lossId(source: string): string {
  return source.replace(/-/g, '_');
}

/** Order runs by size, then token multiplier, then original before rerun. */
function compareRuns(a: string, b: string): number {
  const key = (file: string): [number, number, number] => {
    const match = /^(\d+)([MB])-([\d.]+)xC(-rerun)?/.exec(file)!;
    return [Number(match[1]) * (match[2] === 'B' ? 1000 : 1), Number(match[3]), match[4] ? 1 : 0];
  };
  const [x, y] = [key(a), key(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}
