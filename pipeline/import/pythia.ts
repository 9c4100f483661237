/**
 * Reading the Pythia evaluation release (EleutherAI/pythia, evals/): lm-evaluation-harness result files,
 * one per model and checkpoint (the v1 and v0 suites share the format): runs, steps, parameter counts,
 * and task scores with subject aggregates.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseMetric, harnessScoring, zeroShotTaskMetadata, type HarnessMetric } from './lm-eval-harness.ts';
import { itemsFromStandardErrors } from './standard-errors.ts';

export type Results = Record<string, Record<string, number>>;

export interface PythiaCheckpoint {
  /** Run id = model folder, e.g. pythia-1.4b-deduped. */
  run: string;
  size: string;
  deduped: boolean;
  step: number;
  results: Results;
  /** The harness's model_args: a string (v1) or the GPT-NeoX configuration object (v0). */
  modelArgs: unknown;
  file: string;
}

/** The step of a v0 result file, from the global_step in its name. */
export const v0Step = (file: string): number | undefined => {
  const match = /global_step(\d+)_/.exec(file);
  return match ? Number(match[1]) : undefined;
};

const SIZE_ORDER = ['70m', '160m', '410m', '1b', '1.4b', '2.8b', '6.9b', '12b'];

/** Every zero-shot result file of one suite folder (pythia-v1 or pythia-v0), in run order then step. */
export function readZeroShot(suiteDir: string, release: string, stepOf: (file: string) => number | undefined): PythiaCheckpoint[] {
  const checkpoints: PythiaCheckpoint[] = [];
  for (const folder of readdirSync(suiteDir).filter((name) => /^pythia-[\d.]+[mb](-deduped)?$/.test(name))) {
    const [, size, deduped] = /^pythia-([\d.]+[mb])(-deduped)?$/.exec(folder)!;
    if (!SIZE_ORDER.includes(size!)) throw new Error(`${release}: unknown Pythia size in folder ${folder}`);
    const byStep = new Map<number, PythiaCheckpoint>();
    for (const name of readdirSync(join(suiteDir, folder, 'zero-shot')).filter((file) => file.endsWith('.json')).sort()) {
      const file = join(folder, 'zero-shot', name);
      const step = stepOf(name);
      if (step === undefined) throw new Error(`${release}: ${file}: no step in the file name`);
      const json = JSON.parse(readFileSync(join(suiteDir, file), 'utf8')) as { results: Results; config: { num_fewshot: number; model_args: unknown } };
      if (json.config?.num_fewshot !== 0) throw new Error(`${release}: ${file}: expected a zero-shot evaluation (config.num_fewshot 0)`);
      const known = byStep.get(step);
      if (known) {
        // The release holds a few checkpoints twice; keep one when both give the same results.
        if (!sameResults(known.results, json.results)) throw new Error(`${release}: ${file} and ${known.file} evaluate the same step differently`);
        continue;
      }
      byStep.set(step, { run: folder, size: size!, deduped: deduped !== undefined, step, results: json.results, modelArgs: json.config.model_args, file });
    }
    checkpoints.push(...[...byStep.values()].sort((a, b) => a.step - b.step));
  }
  const runKey = (c: PythiaCheckpoint): number => SIZE_ORDER.indexOf(c.size) * 2 + (c.deduped ? 1 : 0);
  return checkpoints.sort((a, b) => runKey(a) - runKey(b) || a.step - b.step);
}

/**
 * Parameter count of a GPT-NeoX model from its configuration: untied input and output embeddings
 * (2·V·d), per layer attention and MLP weights and biases and two layer norms (12d² + 13d), and a
 * final layer norm (2d).
 */
export function neoxParameters(config: { hidden_size: number; num_layers: number; padded_vocab_size: number }): number {
  const { hidden_size: d, num_layers: layers, padded_vocab_size: vocab } = config;
  return 2 * vocab * d + layers * (12 * d * d + 13 * d) + 2 * d;
}

/** Parameter count per size label from the v0 files' GPT-NeoX configurations (all files of a size must agree). */
export function parametersBySize(v0: PythiaCheckpoint[], release: string): Map<string, number> {
  const bySize = new Map<string, number>();
  for (const checkpoint of v0) {
    const config = checkpoint.modelArgs as { hidden_size?: number; num_layers?: number; padded_vocab_size?: number; no_weight_tying?: boolean };
    if (typeof config?.hidden_size !== 'number' || typeof config.num_layers !== 'number' || typeof config.padded_vocab_size !== 'number' || config.no_weight_tying !== true) {
      throw new Error(`${release}: ${checkpoint.file}: config.model_args lacks hidden_size, num_layers, padded_vocab_size or untied embeddings`);
    }
    const count = neoxParameters(config as { hidden_size: number; num_layers: number; padded_vocab_size: number });
    const known = bySize.get(checkpoint.size);
    if (known !== undefined && known !== count) throw new Error(`${release}: ${checkpoint.file}: configuration gives ${count} parameters, other ${checkpoint.size} files ${known}`);
    bySize.set(checkpoint.size, count);
  }
  return bySize;
}

/** A task as imported: one source task, or the item-weighted mean of a family of subtasks. */
export interface PythiaTask {
  /** Source task name, or the family prefix (hendrycksTest, blimp). */
  source: string;
  metric: HarnessMetric;
  /** For a family: item count of each subtask (recovered from standard errors). */
  subtasks?: Map<string, number>;
  items?: number;
  score(results: Results): number | null;
}

export function singleTask(source: string, checkpoints: PythiaCheckpoint[], release: string): PythiaTask {
  const first = checkpoints.find((c) => c.results[source])?.results[source];
  const metric = first ? chooseMetric(first) : undefined;
  if (!metric) throw new Error(`${release}: task ${source} has no acc_norm or acc`);
  const items = itemsFromStandardErrors(cellsOf(checkpoints, source, metric));
  return {
    source,
    metric,
    ...(items === undefined ? {} : { items }),
    score: (results) => {
      const value = results[source]?.[metric];
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    },
  };
}

/**
 * A family of subtasks (`<prefix>-<subject>` or `<prefix>_<paradigm>`) as one task: the item-weighted
 * mean score, i.e. the share of all the family's items answered right. Each subtask's item count comes
 * from its standard errors; a checkpoint missing any subtask gets no score.
 */
export function familyTask(prefix: string, checkpoints: PythiaCheckpoint[], release: string): PythiaTask {
  const names = [...new Set(checkpoints.flatMap((c) => Object.keys(c.results).filter((name) => isMember(name, prefix))))].sort();
  if (names.length === 0) throw new Error(`${release}: no ${prefix} subtasks`);
  const metric = chooseMetric(checkpoints.find((c) => c.results[names[0]!])!.results[names[0]!]!);
  if (!metric) throw new Error(`${release}: ${names[0]} has no acc_norm or acc`);
  const subtasks = new Map<string, number>();
  for (const name of names) {
    const items = itemsFromStandardErrors(cellsOf(checkpoints, name, metric));
    if (items === undefined) throw new Error(`${release}: the item count of ${name} cannot be recovered from its standard errors`);
    subtasks.set(name, items);
  }
  const items = [...subtasks.values()].reduce((sum, n) => sum + n, 0);
  return {
    source: prefix,
    metric,
    subtasks,
    items,
    score: (results) => {
      let right = 0;
      for (const [name, n] of subtasks) {
        const value = results[name]?.[metric];
        if (typeof value !== 'number' || !Number.isFinite(value)) return null;
        right += value * n;
      }
      return right / items;
    },
  };
}

/** Same tasks with the same metric values, in any key order. */
function sameResults(a: Results, b: Results): boolean {
  const tasks = Object.keys(a);
  if (tasks.length !== Object.keys(b).length) return false;
  return tasks.every((task) => {
    const [x, y] = [a[task]!, b[task]];
    return y !== undefined && Object.keys(x).length === Object.keys(y).length && Object.keys(x).every((metric) => x[metric] === y[metric]);
  });
}

function isMember(name: string, prefix: string): boolean {
  return name.startsWith(`${prefix}-`) || name.startsWith(`${prefix}_`);
}

function cellsOf(checkpoints: PythiaCheckpoint[], task: string, metric: HarnessMetric): [number, number][] {
  return checkpoints.flatMap((c): [number, number][] => {
    const entry = c.results[task];
    const p = entry?.[metric];
    const se = entry?.[`${metric}_stderr`];
    return typeof p === 'number' && typeof se === 'number' ? [[p, se]] : [];
  });
}

/** What both Pythia studies say about the paper and the release. */
export const PYTHIA_STUDY = {
  title: 'Pythia: A Suite for Analyzing Large Language Models Across Training and Scaling',
  authors: ['Stella Biderman', 'Hailey Schoelkopf', 'Quentin Anthony', 'Herbie Bradley', "Kyle O'Brien", 'et al.'],
  year: 2023,
  venue: 'ICML 2023',
  arxiv: '2304.01373',
};
export const PYTHIA_SOURCE = {
  repository: 'https://github.com/EleutherAI/pythia',
  commit: 'a19eecb807ec2c79a39ebf18108816e6ffffc1d5',
  licence: 'Apache-2.0',
};

export const PYTHIA_CORPORA = [
  { id: 'pile', name: 'The Pile' },
  { id: 'pile-deduped', name: 'The Pile, deduplicated' },
];

/** Families of subtasks: aggregated into one task, or left out (with the reason the study records). */
export const FAMILIES = {
  aggregate: ['hendrycksTest', 'blimp'],
  exclude: ['crows_pairs'],
} as const;

/** The task list of a suite: every source task or family, each checked to be in every checkpoint. */
export function pythiaTasks(checkpoints: PythiaCheckpoint[], release: string, notTasks: readonly string[]): PythiaTask[] {
  const names = new Set(checkpoints.flatMap((c) => Object.keys(c.results)));
  const singles = [...names].filter((name) => !notTasks.includes(name) && ![...FAMILIES.aggregate, ...FAMILIES.exclude].some((prefix) => isMember(name, prefix))).sort();
  const families = FAMILIES.aggregate.filter((prefix) => [...names].some((name) => isMember(name, prefix)));
  return [...singles.map((name) => singleTask(name, checkpoints, release)), ...families.map((prefix) => familyTask(prefix, checkpoints, release))];
}

/** Each family present in the checkpoints, as the glob its subtask names match, and how many there are. */
export function excludedFamilies(checkpoints: PythiaCheckpoint[]): { id: string; pattern: string; count: number }[] {
  const names = new Set(checkpoints.flatMap((c) => Object.keys(c.results)));
  return [...FAMILIES.aggregate, ...FAMILIES.exclude]
    .map((prefix) => {
      const members = [...names].filter((name) => isMember(name, prefix));
      return { id: prefix, pattern: `${prefix}${members[0]?.charAt(prefix.length) ?? '-'}*`, count: members.length };
    })
    .filter(({ count }) => count > 0);
}

/** study.json's entry for one Pythia task (zero-shot), the same for v0 and v1. */
export function pythiaTaskMetadata(task: PythiaTask & { benchmark: string }, release: string) {
  const source = task.subtasks ? `${task.source}* (item-weighted mean of ${task.subtasks.size})` : task.source;
  return zeroShotTaskMetadata(task.benchmark, release, harnessScoring(task.metric, source, task.items));
}
