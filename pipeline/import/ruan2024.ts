/**
 * Importer for Ruan, Maddison & Hashimoto 2024, observational scaling laws (ryoungj/ObsScaling):
 * one row per public base model, its family as the corpus, parameters, tokens and FLOPs from the
 * release, eight standard benchmarks joined with the emergent-capability tasks on the model name.
 * There is no validation loss: x is derived from training FLOPs (log-flops).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { benchmarkLookup, readVocabulary } from './benchmark-names.ts';
import type { ImportedStudy } from './study-writer.ts';

const ID = 'ruan2024';

type Format = 'multiple choice' | 'schema' | 'generation' | 'language modeling';
type Metric = 'accuracy' | 'exact match' | 'pass rate';

interface TaskSpec {
  /** Column of the source CSV. */
  column: string;
  id: string;
  name: string;
  /** The name looked up in the vocabulary (source column unless it misnames the benchmark). */
  benchmarkName: string;
  shots: number;
  chance: number | null;
  metric: Metric;
  format: Format;
  /** Evaluated items; checked against the scores when `checkItems` (see wholeCountShare). */
  items?: number;
  checkItems?: boolean;
  variant?: string;
}

/**
 * The standard benchmarks of base_llm_benchmark_eval.csv. Shots are the Open LLM Leaderboard (v1)
 * settings, where the authors took these scores; HumanEval is the 0-shot pass@1 of EvalPlus.
 * The column "Winograd" holds WinoGrande: its scores are whole multiples of 1/1267 (WinoGrande's
 * validation split), not of 1/273 (the Winograd schema challenge), so it maps to winogrande.
 */
const STANDARD: TaskSpec[] = [
  { column: 'MMLU', id: 'mmlu', name: 'MMLU (5-shot)', benchmarkName: 'MMLU', shots: 5, chance: 0.25, metric: 'accuracy', format: 'multiple choice', items: 14042, checkItems: false, variant: 'mean of the 57 subject accuracies' },
  { column: 'ARC-C', id: 'arc_challenge', name: 'ARC-Challenge (25-shot)', benchmarkName: 'ARC-C', shots: 25, chance: 0.25, metric: 'accuracy', format: 'multiple choice', items: 1172, checkItems: true, variant: 'length-normalized' },
  { column: 'HellaSwag', id: 'hellaswag', name: 'HellaSwag (10-shot)', benchmarkName: 'HellaSwag', shots: 10, chance: 0.25, metric: 'accuracy', format: 'multiple choice', items: 10042, checkItems: true, variant: 'length-normalized' },
  { column: 'Winograd', id: 'winogrande', name: 'WinoGrande (5-shot)', benchmarkName: 'winogrande', shots: 5, chance: 0.5, metric: 'accuracy', format: 'schema', items: 1267, checkItems: true },
  { column: 'TruthfulQA', id: 'truthfulqa_mc2', name: 'TruthfulQA MC2 (0-shot)', benchmarkName: 'TruthfulQA', shots: 0, chance: null, metric: 'accuracy', format: 'multiple choice', variant: 'mc2: normalized probability on the true answers' },
  { column: 'GSM8K', id: 'gsm8k', name: 'GSM8K (5-shot)', benchmarkName: 'GSM8K', shots: 5, chance: null, metric: 'exact match', format: 'generation', items: 1319, checkItems: true },
  { column: 'HumanEval', id: 'humaneval', name: 'HumanEval (pass@1)', benchmarkName: 'HumanEval', shots: 0, chance: null, metric: 'pass rate', format: 'generation', items: 164, checkItems: true },
];

/** Standard columns left out, with the reason. */
const EXCLUDED_STANDARD: Record<string, string> = {
  XWinograd: 'Neither the release nor its README gives the shot count or the languages averaged; left out rather than guessed.',
};

/** Emergent-capability columns are named <task>_<shots>_<metric>. */
const EMERGENT_METRICS: Record<string, Metric> = { acc: 'accuracy', exact_match: 'exact match' };

/** Emergent tasks: format, chance, and the item count the scores are whole multiples of (checked). */
const EMERGENT: Record<string, { name: string; format: Format; chance: number | null; items: number }> = {
  parsinlu_qa: { name: 'BIG-bench ParsiNLU QA', format: 'multiple choice', chance: 0.25, items: 1050 },
  word_unscrambling: { name: 'BIG-bench Word Unscrambling', format: 'generation', chance: null, items: 2000 },
  ipa_transliterate: { name: 'BIG-bench IPA Transliterate', format: 'generation', chance: null, items: 1003 },
  arithmetic_2da: { name: 'Arithmetic: 2-digit addition', format: 'language modeling', chance: null, items: 2000 },
  arithmetic_2dm: { name: 'Arithmetic: 2-digit multiplication', format: 'language modeling', chance: null, items: 2000 },
  arithmetic_3da: { name: 'Arithmetic: 3-digit addition', format: 'language modeling', chance: null, items: 2000 },
  arithmetic_3ds: { name: 'Arithmetic: 3-digit subtraction', format: 'language modeling', chance: null, items: 2000 },
};

/** Share of scores that must be whole multiples of 1/items for a declared item count to stand. */
const WHOLE_COUNT_SHARE = 0.9;

/**
 * Scale values of the release that are not used, with the reason (the model keeps its accuracies
 * and enters no fit on x). BTLM-3B-8K was trained on 627 billion tokens (SlimPajama); the release
 * lists 627 trillion, and FLOPs 1000 times too large with it.
 */
const SUSPECT_SCALE: Record<string, string> = {
  'cerebras/btlm-3b-8k-base': 'listed with 627 T tokens (and FLOPs computed from them); the model was trained on 627 billion tokens, so the values look 1000 times too large',
};

export const SOURCE = {
  repository: 'https://github.com/ryoungj/ObsScaling',
  commit: '4d6e1e43fd2635d04654aa77d1df9d5266ea0382',
  licence: 'Apache-2.0',
};

/** A source model name (`org/name`) as a model id: the slash becomes `--`. */
export function modelId(name: string): string {
  const id = name.replace(/\//g, '--');
  if (!/^[A-Za-z0-9][A-Za-z0-9_.=+@-]*$/.test(id)) throw new Error(`${ID}: model name ${JSON.stringify(name)} does not make a model id`);
  return id;
}

/** A family name as a corpus id: lower case, other characters as '-'. */
export function familyId(family: string): string {
  return family.toLowerCase().replace(/[^a-z0-9_.]+/g, '-').replace(/^-+|-+$/g, '');
}

/** A decimal in the source's unit (e.g. billions) as a plain count, without binary rounding noise. */
export function scaled(text: string, exponent: number): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(`${trimmed}e${exponent}`);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${ID}: scale value ${JSON.stringify(text)} is not a positive number`);
  return value;
}

/** A score cell as a fraction; empty means not evaluated. The release's scores are fractions already. */
export function fraction(text: string | undefined, where: string): number | null {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${ID}: ${where}: ${JSON.stringify(text)} is not a fraction between 0 and 1`);
  return value;
}

/** Share of scores that are whole multiples of 1/items (a count of correct items). */
export function wholeCountShare(scores: readonly number[], items: number): number {
  if (scores.length === 0) return 0;
  return scores.filter((score) => Math.abs(score * items - Math.round(score * items)) < 1e-6).length / scores.length;
}

/** Split an emergent-capability column name into task, shots and metric, or undefined. */
export function parseEmergentColumn(column: string): { task: string; shots: number; metric: string } | undefined {
  const match = /^(.+)_(\d+)_(acc|exact_match|bleu)$/.exec(column);
  return match ? { task: match[1]!, shots: Number(match[2]), metric: match[3]! } : undefined;
}

function readCsv(path: string): { fields: string[]; rows: Record<string, string>[] } {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`${ID}: ${path}: row ${parsed.errors[0]!.row}: ${parsed.errors[0]!.message}`);
  return { fields: parsed.meta.fields ?? [], rows: parsed.data };
}

export function importRuan2024(sourceDir: string): ImportedStudy {
  const benchmarkOf = benchmarkLookup(readVocabulary(), ID);
  const base = readCsv(join(sourceDir, 'base_llm_benchmark_eval.csv'));
  const emergent = readCsv(join(sourceDir, 'base_llm_emergent_capability_eval.csv'));

  const emergentByModel = new Map(emergent.rows.map((row) => [row.Model!, row]));
  const baseModels = new Set(base.rows.map((row) => row.Model!));
  const unmatched = [...emergentByModel.keys()].filter((model) => !baseModels.has(model));
  if (unmatched.length > 0) throw new Error(`${ID}: emergent-capability models not in base_llm_benchmark_eval.csv: ${unmatched.join(', ')}`);

  const standardColumns = base.fields.slice(base.fields.indexOf('FLOPs (1E21)') + 1);
  for (const column of standardColumns) {
    if (!STANDARD.some((spec) => spec.column === column) && !(column in EXCLUDED_STANDARD)) throw new Error(`${ID}: unknown benchmark column ${column}`);
  }
  const excluded: { id: string; reason: string }[] = Object.entries(EXCLUDED_STANDARD).map(([id, reason]) => ({ id, reason }));
  const emergentSpecs: TaskSpec[] = [];
  for (const column of emergent.fields.filter((field) => field !== 'Model')) {
    const parsed = parseEmergentColumn(column);
    if (!parsed) throw new Error(`${ID}: emergent column ${column} is not <task>_<shots>_<metric>`);
    const metric = EMERGENT_METRICS[parsed.metric];
    if (!metric) {
      excluded.push({ id: column, reason: `${parsed.metric.toUpperCase()} is a similarity score on a 0-100 scale, not a fraction of items; the exact-match column of the same task is kept.` });
      continue;
    }
    const known = EMERGENT[parsed.task];
    if (!known) throw new Error(`${ID}: emergent task ${parsed.task} has no format or chance in the importer`);
    emergentSpecs.push({ column, id: parsed.task, name: `${known.name} (${parsed.shots}-shot)`, benchmarkName: parsed.task, shots: parsed.shots, chance: known.chance, metric, format: known.format, items: known.items, checkItems: true });
  }
  const specs = [...STANDARD, ...emergentSpecs];

  const rows = base.rows.map((row) => {
    const model = row.Model!;
    const suspect = model in SUSPECT_SCALE;
    const params = scaled(row['Model Size (B)']!, 9);
    const tokens = suspect ? null : scaled(row['Pretraining Data Size (T)']!, 12);
    const flops = suspect ? null : scaled(row['FLOPs (1E21)']!, 21);
    const extra = emergentByModel.get(model);
    const scores = specs.map((spec) => fraction((STANDARD.includes(spec) ? row : extra)?.[spec.column], `${model}, ${spec.column}`));
    return [modelId(model), familyId(row['Model Family']!), params, tokens, flops, ...scores];
  });

  // Item counts stand only where the scores are counts of correct items out of that many.
  const itemChecks: string[] = [];
  const tasks = specs.map((spec, t) => {
    const scores = rows.map((row) => row[5 + t]).filter((value): value is number => typeof value === 'number');
    if (spec.items !== undefined && spec.checkItems) {
      const share = wholeCountShare(scores, spec.items);
      if (share < WHOLE_COUNT_SHARE) throw new Error(`${ID}: only ${(100 * share).toFixed(0)}% of ${spec.column} scores are whole multiples of 1/${spec.items}`);
      itemChecks.push(`${spec.id} ${Math.round(share * scores.length)} of ${scores.length}`);
    }
    return {
      id: spec.id,
      name: spec.name,
      benchmark: benchmarkOf(spec.benchmarkName),
      shots: spec.shots,
      ...(spec.items !== undefined ? { items: spec.items } : {}),
      chance: spec.chance,
      metric: spec.metric,
      unit: 'fraction',
      format: spec.format,
      ...(spec.variant ? { variant: spec.variant } : {}),
    };
  });

  const families = new Map<string, string>();
  for (const row of base.rows) {
    const id = familyId(row['Model Family']!);
    const other = families.get(id);
    if (other !== undefined && other !== row['Model Family']) throw new Error(`${ID}: families ${other} and ${row['Model Family']} share the id ${id}`);
    families.set(id, row['Model Family']!);
  }

  const withFlops = rows.filter((row) => row[4] !== null);
  const sixND = withFlops.filter((row) => Math.abs((row[4] as number) - 6 * (row[2] as number) * (row[3] as number)) <= 1e-9 * (row[4] as number)).length;
  const noFlops = base.rows.filter((row) => row['FLOPs (1E21)']!.trim() === '').map((row) => row.Model!);
  const header = ['model', 'corpus', 'params', 'tokens', 'flops', ...specs.map((spec) => `task:${spec.id}`)];

  return {
    id: ID,
    metadata: {
      id: ID,
      title: 'Observational Scaling Laws and the Predictability of Language Model Performance',
      authors: ['Yangjun Ruan', 'Chris J. Maddison', 'Tatsunori Hashimoto'],
      year: 2024,
      venue: 'NeurIPS',
      arxiv: '2405.10938',
      provenance: {
        ...SOURCE,
        files: ['eval_results/base_llm_benchmark_eval.csv', 'eval_results/base_llm_emergent_capability_eval.csv'],
        importer: 'pipeline/import/ruan2024.ts',
        derivation:
          'One row per model of base_llm_benchmark_eval.csv (its name with "/" written "--"); the emergent-capability table is joined on the model name, and its tasks are empty cells for models it does not list. ' +
          'params = Model Size (B) × 10^9, tokens = Pretraining Data Size (T) × 10^12, flops = FLOPs (1E21) × 10^21; empty where the release gives none. ' +
          'The corpus column is the model family: each family was trained on its own data, which the release does not name. ' +
          'Scores are already fractions in the release and are copied unchanged (the importer refuses any value outside 0 to 1); the release gives one score per task, so there is no choice between acc and acc_norm. ' +
          'The column Winograd is WinoGrande (its scores are counts out of 1,267). Shots are the Open LLM Leaderboard settings for the leaderboard benchmarks and the number in each emergent column name. ' +
          'Chance is one over the answer options for multiple-choice tasks and null for open-ended ones and for TruthfulQA MC2 (a probability mass, not a choice). ' +
          `Items are the benchmark's evaluated split, or for the emergent tasks the count their scores are whole multiples of; the importer checks that at least ${100 * WHOLE_COUNT_SHARE}% of scores are (MMLU, a mean of subject accuracies, is not checked; TruthfulQA has no item count here).`,
      },
      harness: { name: 'Open LLM Leaderboard (lm-evaluation-harness), EvalPlus for HumanEval' },
      observations: {
        file: 'observations.csv',
        level: 'model',
        corpora: [...families.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, name]) => ({ id, name: `${name} family (pretraining data of that family)` })),
        scaleVariables: [
          { id: 'params', kind: 'parameters', unit: 'count' },
          { id: 'tokens', kind: 'tokens', unit: 'count' },
          { id: 'flops', kind: 'flops', unit: 'flops' },
        ],
        validationSets: [],
        x: {
          kind: 'log-flops',
          why: `No validation loss is released, so x is derived from the release's training FLOPs (log-flops). Where given (${withFlops.length} of ${rows.length} models) they equal 6·N·D for ${sixND} of them, so log-compute would give the same x; models without FLOPs (no token count in the release) have an empty cell and enter no fit.`,
        },
        tasks,
        excludedTasks: excluded,
        notes: [
          `Each model is its own run (${rows.length} models in ${families.size} families). Families differ in data, architecture and recipe, so curves across them mix more than scale; the paper's own analysis fits a capability measure, not FLOPs, for that reason.`,
          `Models without FLOPs or tokens in the release (their accuracies are kept, they enter no fit on x): ${noFlops.join(', ')}.`,
          ...Object.entries(SUSPECT_SCALE).map(([model, reason]) => `${model}: tokens and FLOPs left empty: ${reason}.`),
          `Item-count checks (scores that are whole multiples of 1/items): ${itemChecks.join('; ')}. The exceptions are scores given to three decimals (e.g. the Gemma-2 models, and StarCoderBase on HumanEval), which look taken from the models\' own reports rather than from the common evaluation.`,
          'The other tables of the release (post-training, leaderboard v2, instruction-tuned and agent evaluations, and the sub-10B subset of the base table) are not imported: they are different models or repeat these.',
        ],
      },
    },
    files: { 'observations.csv': { header, rows } },
  };
}
