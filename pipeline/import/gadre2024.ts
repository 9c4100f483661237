/**
 * Importer for Gadre et al. 2024 (mlfoundations/scaling): 104 models, 8 validation losses, 46 scored tasks.
 * Reads models/*.json, evals/evaluation_*_heavy.json and eval_metadata.csv; writes studies/gadre2024/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { benchmarkLookup, readVocabulary } from './benchmark-names.ts';
import { displayName, type ImportedStudy } from './study-writer.ts';

/** Validation sets of the release, keyed by a fragment of their `val_data` path. */
const VALIDATION_SETS = [
  { fragment: '/openlm/', id: 'openlm_val', canonical: 'openlm-validation', name: 'OpenLM validation' },
  { fragment: '/c4_val/', id: 'c4_val', canonical: 'c4-validation', name: 'C4 validation' },
  { fragment: '/paloma_c4_en/', id: 'paloma_c4_en', canonical: 'paloma-c4-en', name: 'Paloma C4 (en)' },
  { fragment: '/paloma_dolma_100_programing_languages/', id: 'paloma_100_pl', canonical: 'paloma-100-pl', name: 'Paloma 100 programming languages' },
  { fragment: '/paloma_falcon-refinedweb/', id: 'paloma_refinedweb', canonical: 'paloma-refinedweb', name: 'Paloma RefinedWeb' },
  { fragment: '/paloma_ptb/', id: 'paloma_ptb', canonical: 'paloma-ptb', name: 'Paloma Penn Treebank' },
  { fragment: '/paloma_redpajama/', id: 'paloma_redpajama', canonical: 'paloma-redpajama', name: 'Paloma RedPajama' },
  { fragment: '/de-en/', id: 'de_en', canonical: 'de-en-100', name: 'German-English (de-en)' },
] as const;

const CORPORA: Record<string, string> = { c4_original: 'C4', rpj: 'RedPajama', rw_original: 'RefinedWeb' };

const FORMATS: Record<string, string> = {
  'multiple choice': 'multiple choice',
  'language modeling': 'language modeling',
  'question answering': 'question answering',
  schema: 'schema',
};

const NAMES: Record<string, string> = {
  hellaswag: 'HellaSwag (10-shot)', hellaswag_zeroshot: 'HellaSwag (0-shot)', mmlu: 'MMLU (5-shot)', mmlu_zeroshot: 'MMLU (0-shot)',
  arc_easy: 'ARC-Easy', arc_challenge: 'ARC-Challenge', commonsense_qa: 'CommonsenseQA', openbook_qa: 'OpenBookQA',
  winogrande: 'WinoGrande', winograd: 'Winograd', lambada_openai: 'LAMBADA (OpenAI)',
};

interface SourceModel {
  dataset_name: string;
  hyperparameters: { params: number; tokens: number };
  results: { loss: number; val_data: string[] }[];
}

export const SOURCE = {
  repository: 'https://github.com/mlfoundations/scaling',
  commit: 'a003c4913793ac2ae7ef87b28ecb562955d026d5',
  licence: 'MIT (Copyright (c) 2024 mlfoundations)',
};

export function importGadre2024(sourceDir: string): ImportedStudy {
  // Tasks evaluated twice in the release (e.g. hellaswag and hellaswag_zeroshot) share one benchmark id.
  const benchmarkOf = benchmarkLookup(readVocabulary(), 'gadre2024');
  const metadataRows = Papa.parse<Record<string, string>>(readFileSync(join(sourceDir, 'eval_metadata.csv'), 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data;

  const modelNames = readdirSync(join(sourceDir, 'models'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();

  const scoresByModel = new Map<string, Map<string, number>>();
  for (const name of modelNames) {
    const evaluation = JSON.parse(readFileSync(join(sourceDir, 'evals', `evaluation_${name}_heavy.json`), 'utf8'));
    scoresByModel.set(name, new Map(Object.entries(evaluation.eval_metrics.icl as Record<string, number>)));
  }
  const scored = new Set(scoresByModel.values().next().value?.keys() ?? []);

  const tasks = metadataRows
    .filter((row) => scored.has(row['Eval Task']!))
    .map((row) => {
      const id = row['Eval Task']!;
      const format = FORMATS[row['Task Type']!];
      if (!format) throw new Error(`gadre2024: unknown task type ${row['Task Type']} for ${id}`);
      return {
        id,
        name: displayName(id, NAMES),
        benchmark: benchmarkOf(id),
        shots: Number(row['#shots']),
        items: Number(row['#datapoints']),
        chance: Number(row['Random baseline']) / 100,
        metric: 'accuracy',
        unit: 'fraction',
        format,
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  const excluded = metadataRows
    .filter((row) => !scored.has(row['Eval Task']!))
    .map((row) => ({ id: row['Eval Task']!, reason: 'Listed in eval_metadata.csv but no model in the release has a score for it.' }));

  const rows: (string | number)[][] = [];
  for (const name of modelNames) {
    const model = JSON.parse(readFileSync(join(sourceDir, 'models', `${name}.json`), 'utf8')) as SourceModel;
    const losses = VALIDATION_SETS.map((set) => {
      const result = model.results.find((entry) => entry.val_data[0]?.includes(set.fragment));
      if (!result) throw new Error(`gadre2024: model ${name} has no loss on ${set.id}`);
      return result.loss;
    });
    const scores = scoresByModel.get(name)!;
    const accuracies = tasks.map((task) => {
      const value = scores.get(task.id);
      if (value === undefined) throw new Error(`gadre2024: model ${name} has no score for ${task.id}`);
      return value;
    });
    if (!(model.dataset_name in CORPORA)) throw new Error(`gadre2024: unknown corpus ${model.dataset_name}`);
    rows.push([name, model.dataset_name, model.hyperparameters.params, model.hyperparameters.tokens, ...losses, ...accuracies]);
  }

  const header = ['model', 'corpus', 'params', 'tokens', ...VALIDATION_SETS.map((set) => `loss:${set.id}`), ...tasks.map((task) => `task:${task.id}`)];

  return {
    id: 'gadre2024',
    metadata: {
      id: 'gadre2024',
      title: 'Language models scale reliably with over-training and on downstream tasks',
      authors: ['Samir Yitzhak Gadre', 'Georgios Smyrnis', 'Vaishaal Shankar', 'Suchin Gururangan', 'Mitchell Wortsman', 'et al.'],
      year: 2024,
      venue: 'arXiv',
      arxiv: '2403.08540',
      provenance: {
        ...SOURCE,
        files: ['exp_data/models/*.json', 'exp_data/evals/evaluation_*_heavy.json', 'exp_data/eval_metadata.csv'],
        importer: 'pipeline/import/gadre2024.ts',
        derivation:
          'One row per model file. params and tokens from hyperparameters; one loss per validation set, matched by its val_data path; accuracies from eval_metrics.icl of the matching evaluation file, unchanged. Task shots, item counts and format from eval_metadata.csv; chance accuracy is its random baseline divided by 100.',
      },
      harness: { name: 'LLM Foundry', version: 'v0.4.0' },
      observations: {
        file: 'observations.csv',
        level: 'model',
        corpora: Object.entries(CORPORA).map(([id, name]) => ({ id, name })),
        scaleVariables: [
          { id: 'params', kind: 'parameters', unit: 'count' },
          { id: 'tokens', kind: 'tokens', unit: 'count' },
        ],
        validationSets: VALIDATION_SETS.map(({ id, canonical, name }) => ({ id, canonical, name })),
        tasks,
        excludedTasks: excluded,
        notes: [
          'The release gives no FLOPs; none are derived here.',
          'c4_val is the C4 validation split used by OpenLM; paloma_c4_en is Paloma\'s sample of C4 and is kept as a separate set.',
        ],
      },
    },
    files: { 'observations.csv': { header, rows } },
  };
}
