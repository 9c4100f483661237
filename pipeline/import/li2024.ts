/**
 * Importer for Li et al. 2024, DataComp-LM (mlfoundations/dclm): one row per trained model whose
 * evaluation file joins a model file; OpenLM validation loss where the release gives it (empty
 * otherwise); the LLM Foundry task accuracies. Task shots, item counts and chance come from the same
 * suite's metadata in the gadre2024 release (the DCLM source folder has none of its own).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { benchmarkLookup, readVocabulary } from './benchmark-names.ts';
import { SOURCE as GADRE_SOURCE } from './gadre2024.ts';
import { displayName, type ImportedStudy } from './study-writer.ts';

const ID = 'li2024';

/** LLM Foundry task types (eval_metadata.csv "Task Type") → the registry's task formats. */
const FORMATS: Record<string, string> = {
  'multiple choice': 'multiple choice',
  'language modeling': 'language modeling',
  'question answering': 'question answering',
  schema: 'schema',
};

/**
 * Tasks whose metadata row has another name: DCLM calls the 5-shot MMLU "mmlu_fewshot" where the
 * metadata says "mmlu"; the chain-of-thought variants ("<task>_cot") use the row of <task>, whose
 * shots and item count are those of the chain-of-thought prompt (see metadataRowName).
 */
const METADATA_ROW: Record<string, string> = { mmlu_fewshot: 'mmlu' };

const NAMES: Record<string, string> = {
  hellaswag: 'HellaSwag (10-shot)', hellaswag_zeroshot: 'HellaSwag (0-shot)', mmlu_fewshot: 'MMLU (5-shot)', mmlu_zeroshot: 'MMLU (0-shot)',
  arc_easy: 'ARC-Easy', arc_challenge: 'ARC-Challenge', commonsense_qa: 'CommonsenseQA', openbook_qa: 'OpenBookQA',
  winogrande: 'WinoGrande', winograd: 'Winograd', lambada_openai: 'LAMBADA (OpenAI)', triviaqa_sm_sub: 'TriviaQA (3,000-question subsample)',
  gsm8k: 'GSM8K', gsm8k_cot: 'GSM8K (chain of thought)', aqua: 'AQuA-RAT', aqua_cot: 'AQuA-RAT (chain of thought)', svamp: 'SVAMP',
  svamp_cot: 'SVAMP (chain of thought)', agi_eval_sat_math: 'AGI Eval SAT Math', agi_eval_sat_math_cot: 'AGI Eval SAT Math (chain of thought)',
};

interface SourceModel {
  name: string;
  uuid: string;
  dataset_name: string;
  failed?: boolean;
  hyperparameters: { params: number; tokens: number };
  results?: { loss: number; val_data: string[] }[];
}

interface SourceEvaluation {
  model_uuid?: string;
  eval_metrics: { icl: Record<string, number>; perplexity?: number };
}

interface MetadataRow {
  shots: number;
  items: number;
  chance: number;
  format: string;
}

/** Where a model file's dataset_name is empty. */
const UNNAMED_CORPUS = { id: 'unnamed', name: 'Not named in the release (empty dataset_name)' };

export const SOURCE = {
  repository: 'https://github.com/mlfoundations/dclm',
  commit: '361714bdd60bb9b7f4b2d8354cebbf0dec0c329e',
  licence: 'MIT',
};

/** The metadata row that describes a DCLM task id, or undefined when the metadata has none. */
export function metadataRowName(taskId: string, rows: ReadonlyMap<string, unknown>): string | undefined {
  const candidates = [METADATA_ROW[taskId], taskId, taskId.endsWith('_cot') ? taskId.slice(0, -'_cot'.length) : undefined];
  return candidates.find((name): name is string => name !== undefined && rows.has(name));
}

/**
 * A corpus id from a DCLM dataset name: lower case, runs of other characters as '-', and names longer
 * than an id may be cut to 71 characters plus 8 hex digits of their SHA-256, so two long names that
 * share a beginning stay distinct.
 */
export function corpusId(datasetName: string): string {
  const slug = datasetName.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  if (slug.length <= 80) return slug;
  return `${slug.slice(0, 71)}-${createHash('sha256').update(datasetName).digest('hex').slice(0, 8)}`;
}

/** Largest difference (nats) allowed between eval_metrics.perplexity and a model file's open_lm_val loss. */
const LOSS_AGREEMENT = 0.001;

/**
 * eval_metrics.perplexity is read as a loss in nats: check that against the models whose file also
 * lists an open_lm_val loss. Returns how many models were compared.
 */
function checkLossField(joined: readonly { model: SourceModel; evaluation: SourceEvaluation }[]): number {
  let compared = 0;
  for (const { model, evaluation } of joined) {
    const field = evaluation.eval_metrics.perplexity;
    const result = model.results?.find((entry) => entry.val_data.some((path) => path.includes('/open_lm_val/')));
    if (field === undefined || !result) continue;
    if (Math.abs(field - result.loss) > LOSS_AGREEMENT) throw new Error(`${ID}: model ${model.name}: eval_metrics.perplexity ${field} differs from its open_lm_val loss ${result.loss}; the field may not be a loss in nats`);
    compared++;
  }
  if (compared === 0) throw new Error(`${ID}: no model has both eval_metrics.perplexity and an open_lm_val loss; cannot confirm the field is a loss`);
  return compared;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function readMetadata(path: string): Map<string, MetadataRow> {
  const rows = Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
  return new Map(
    rows.map((row) => {
      const format = FORMATS[row['Task Type']!];
      if (!format) throw new Error(`${ID}: unknown task type ${JSON.stringify(row['Task Type'])} in ${path}`);
      return [row['Eval Task']!, { shots: Number(row['#shots']), items: Number(row['#datapoints']), chance: Number(row['Random baseline']) / 100, format }];
    }),
  );
}

export function importLi2024(sourceDir: string): ImportedStudy {
  const benchmarkOf = benchmarkLookup(readVocabulary(), ID);
  const metadataPath = join(sourceDir, '..', 'gadre2024', 'eval_metadata.csv');
  const metadata = readMetadata(metadataPath);

  const models = new Map<string, SourceModel>();
  for (const file of readdirSync(join(sourceDir, 'models')).filter((f) => f.endsWith('.json')).sort()) {
    const model = readJson<SourceModel>(join(sourceDir, 'models', file));
    if (models.has(model.uuid)) throw new Error(`${ID}: models/${file}: uuid ${model.uuid} appears twice`);
    models.set(model.uuid, model);
  }

  const joined: { model: SourceModel; evaluation: SourceEvaluation }[] = [];
  const unjoined: string[] = [];
  for (const file of readdirSync(join(sourceDir, 'evals')).filter((f) => f.endsWith('.json')).sort()) {
    const evaluation = readJson<SourceEvaluation>(join(sourceDir, 'evals', file));
    const model = evaluation.model_uuid === undefined ? undefined : models.get(evaluation.model_uuid);
    if (model) joined.push({ model, evaluation });
    else unjoined.push(file);
  }
  joined.sort((a, b) => (a.model.name < b.model.name ? -1 : a.model.name > b.model.name ? 1 : 0));
  for (let i = 1; i < joined.length; i++) {
    if (joined[i]!.model.name === joined[i - 1]!.model.name) throw new Error(`${ID}: two evaluation files join model ${joined[i]!.model.name}`);
  }

  const sourceTasks = [...new Set(joined.flatMap(({ evaluation }) => Object.keys(evaluation.eval_metrics.icl)))].sort();
  const described = sourceTasks.filter((task) => metadataRowName(task, metadata) !== undefined);
  const undescribed = sourceTasks.filter((task) => metadataRowName(task, metadata) === undefined);
  const tasks = described.map((id) => {
    const row = metadata.get(metadataRowName(id, metadata)!)!;
    return {
      id,
      name: displayName(id, NAMES),
      benchmark: benchmarkOf(id),
      shots: row.shots,
      items: row.items,
      chance: row.chance,
      metric: row.format === 'question answering' ? 'exact match' : 'accuracy',
      unit: 'fraction',
      format: row.format,
    };
  });

  const corpora = new Map<string, string>();
  const rows = joined.map(({ model, evaluation }) => {
    const named = model.dataset_name.trim() !== '';
    const corpus = named ? corpusId(model.dataset_name) : UNNAMED_CORPUS.id;
    const corpusName = named ? model.dataset_name : UNNAMED_CORPUS.name;
    const other = corpora.get(corpus);
    if (other !== undefined && other !== corpusName) throw new Error(`${ID}: datasets ${other} and ${corpusName} map to one corpus id ${corpus}`);
    corpora.set(corpus, corpusName);
    const loss = evaluation.eval_metrics.perplexity ?? null;
    const scores = tasks.map((task) => {
      const value = evaluation.eval_metrics.icl[task.id];
      if (value === undefined) return null;
      if (!(value >= 0 && value <= 1)) throw new Error(`${ID}: model ${model.name}: ${task.id} = ${value} is not a fraction`);
      return value;
    });
    return [model.name, corpus, model.hyperparameters.params, model.hyperparameters.tokens, loss, ...scores];
  });

  const losses = rows.map((row) => row[4]).filter((loss): loss is number => typeof loss === 'number');
  const agreement = checkLossField(joined);
  const sizesWithLoss = new Map<number, number>();
  for (const row of rows) if (typeof row[4] === 'number') sizesWithLoss.set(row[2] as number, (sizesWithLoss.get(row[2] as number) ?? 0) + 1);
  const sizeCounts = [...sizesWithLoss.entries()].sort(([a], [b]) => a - b).map(([params, count]) => `${count} with ${(params / 1e9).toFixed(2)}B parameters`);
  const lossRange = `${Math.min(...losses).toFixed(2)} to ${Math.max(...losses).toFixed(2)}`;
  const unnamed = joined.filter(({ model }) => model.dataset_name.trim() === '').map(({ model }) => model.name);
  const failed = joined.filter(({ model }) => model.failed === true).map(({ model }) => model.name);
  const header = ['model', 'corpus', 'params', 'tokens', 'loss:openlm_val', ...tasks.map((task) => `task:${task.id}`)];

  return {
    id: ID,
    metadata: {
      id: ID,
      title: 'DataComp-LM: In search of the next generation of training sets for language models',
      authors: ['Jeffrey Li', 'Alex Fang', 'Georgios Smyrnis', 'Maor Ivgi', 'Matt Jordan', 'et al.'],
      year: 2024,
      venue: 'arXiv',
      arxiv: '2406.11794',
      provenance: {
        ...SOURCE,
        files: [
          'exp_data/evals/*.json',
          'exp_data/models/*.json',
          `${GADRE_SOURCE.repository} at ${GADRE_SOURCE.commit}: exp_data/eval_metadata.csv (task shots, item counts, format, random baseline)`,
        ],
        importer: 'pipeline/import/li2024.ts',
        derivation:
          `One row per evaluation file whose model_uuid matches the uuid of a model file; the row is named by the model file's name. ` +
          'params and tokens come from its hyperparameters, the corpus from its dataset_name (turned into an id; the full name is kept as the corpus name). ' +
          `loss:openlm_val is eval_metrics.perplexity unchanged: despite the field name it is a cross-entropy in nats per token, because where a model file also lists an open_lm_val loss in results the two agree to within ${LOSS_AGREEMENT} (${agreement} models; the importer checks it), and values of ${lossRange} would be implausibly low perplexities. ` +
          'The cell is empty where the file has no such field. Task cells are eval_metrics.icl unchanged (the release gives one score per task, so there is no choice between acc and acc_norm); a task a file does not score is an empty cell. ' +
          'Shots, items, format and chance (random baseline / 100) are those of the LLM Foundry metadata file of the gadre2024 release, which describes the same suite; mmlu_fewshot uses its row mmlu (5-shot) and a <task>_cot id uses the row of <task>. ' +
          'Free-response question-answering tasks are scored as exact match, the others as accuracy. Benchmarks are mapped through the aliases of studies/vocabulary.json.',
      },
      harness: { name: 'LLM Foundry (DCLM evaluation)' },
      observations: {
        file: 'observations.csv',
        level: 'model',
        corpora: [...corpora.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, name]) => ({ id, name })),
        scaleVariables: [
          { id: 'params', kind: 'parameters', unit: 'count' },
          { id: 'tokens', kind: 'tokens', unit: 'count' },
        ],
        validationSets: [{ id: 'openlm_val', canonical: 'openlm-validation', name: 'OpenLM validation', unit: 'nats per token' }],
        x: {
          kind: 'loss',
          set: 'openlm_val',
          why: `The paper's form: error against validation loss. The release's only validation loss is the OpenLM validation loss, given for ${losses.length} of ${rows.length} models; the others have an empty cell and enter no fit on this x.`,
        },
        tasks,
        excludedTasks: undescribed.map((id) => ({
          id,
          reason: 'Scored in the release, but no metadata in the sources gives its shots, item count or format; left out rather than guessed.',
        })),
        notes: [
          `Each model is its own run: the release is a data ablation (${corpora.size} pretraining corpora at a few sizes), not one ladder, and gives no intermediate checkpoints.`,
          `${unjoined.length} evaluation files match no model file (external models such as Llama, Mistral or Gemma, and DCLM models whose model file is not in the release); with no parameters, tokens, corpus or validation loss in the release they are left out: ${unjoined.join(', ')}.`,
          `Of the ${losses.length} models with a loss, ${sizeCounts.join(', ')}: most differ in pretraining corpus rather than scale, so on this x the loss also reflects how close each corpus is to the validation text, and curves mix that with scale.`,
          'Task sets differ between evaluation files (for example gsm8k and svamp were scored for some models only, gsm8k_cot for others); a task not scored for a model is an empty cell, not a zero.',
          `The model files also hold open_lm_val, c4_val and Paloma losses in results for a handful of models; they are not used, so that the x of every model comes from one field.`,
          ...(unnamed.length > 0 ? [`Models whose file leaves dataset_name empty get the corpus "${UNNAMED_CORPUS.id}": ${unnamed.join(', ')}.`] : []),
          ...(failed.length > 0 ? [`Model files marked failed (kept, since the release evaluated them): ${failed.join(', ')}.`] : []),
          'The DCLM repository has a metadata file of its own (eval/eval_meta_data_v1.csv) in which some random baselines differ (e.g. 33.3% for SIQA); it is not in the source folder, so the gadre2024 values are used and the two LLM Foundry studies agree on chance.',
        ],
      },
    },
    files: { 'observations.csv': { header, rows } },
  };
}
