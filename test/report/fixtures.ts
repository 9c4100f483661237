/**
 * Small synthetic outputs/ folders for the report and publish tests: a reproduction.json, points.csv
 * and tasks.csv of four tasks and twelve models, plus the committed configuration the methods
 * section reads (so snapshots do not move when the real configuration does).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confusionSection } from '../../pipeline/report/sections/confusion.ts';
import { headlineSection } from '../../pipeline/report/sections/headline.ts';
import { methodsSection } from '../../pipeline/report/sections/methods.ts';
import { taskPanelsSection } from '../../pipeline/report/sections/task-panels.ts';
import type { Reproduction, TaskResult } from '../../pipeline/report/reproduction.ts';
import type { SectionBuilder } from '../../pipeline/report/section.ts';
import { formatCsv, formatSortedJson, writeFileAtomic } from '../../pipeline/util/files.ts';

/** The sections this folder's tests cover (other engineers' sections have their own tests). */
export const CORE_SECTIONS: SectionBuilder[] = [headlineSection, confusionSection, taskPanelsSection, methodsSection];

export const BEHAVIOURS = ['predictable', 'breakthrough', 'inverse', 'nonmonotonic', 'noisy', 'trendless'];

export interface FixtureOptions {
  studyTitle?: string;
  authors?: string[];
  /** Name of the second task (contributed text). */
  taskName?: string;
  /** Model id of the first model (contributed text). */
  modelName?: string;
  /** Reproduced behaviour of the predictable task (to make a second version differ). */
  firstTaskBehaviour?: string;
  /** Upper end of the bootstrap interval. */
  ciHigh?: number;
}

const tempDirs: string[] = [];

export function makeTempDir(prefix = 'report-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

interface TaskSpec {
  task: string;
  name: string;
  published: string;
  reproduced: string;
  fit: { epsilon: number; k: number; gamma: number; r2: number };
  /** Error of model i at loss x. */
  error: (x: number, i: number) => number;
}

/** Deterministic scatter in [-1, 1]. */
function wiggle(i: number, salt: number): number {
  return Math.sin(12.9898 * (i + 1) + 78.233 * salt) % 1;
}

const round = (v: number, d = 6): number => Math.round(v * 10 ** d) / 10 ** d;

export function syntheticReproduction(options: FixtureOptions = {}): { doc: Reproduction; points: (string | number)[][] } {
  const models = Array.from({ length: 12 }, (_, i) => ({
    model: i === 0 && options.modelName ? options.modelName : `m${String(i).padStart(2, '0')}`,
    corpus: i % 2 === 0 ? 'corpus_a' : 'corpus_b',
    params: [1e7, 1e8, 1e9][i % 3]!,
    tokens: 2e9 * (1 + (i % 4)),
    x: round(4.6 - 0.2 * i, 4),
  }));
  const tasks: TaskSpec[] = [
    { task: 'alpha', name: 'Alpha QA', published: 'predictable', reproduced: options.firstTaskBehaviour ?? 'predictable', fit: { epsilon: 0.8, k: 40, gamma: 1.5, r2: 0.93 }, error: (x, i) => 0.8 - 40 * Math.exp(-1.5 * x) + 0.01 * wiggle(i, 1) },
    { task: 'beta', name: options.taskName ?? 'Beta Reasoning', published: 'noisy', reproduced: 'trendless', fit: { epsilon: 0.7, k: 1, gamma: 0.1, r2: 0.05 }, error: (_x, i) => 0.6 + 0.05 * wiggle(i, 2) },
    { task: 'gamma', name: 'Gamma Math', published: 'inverse', reproduced: 'inverse', fit: { epsilon: 0.5, k: 1, gamma: 0, r2: 0 }, error: (x) => 0.9 - 0.05 * x },
    { task: 'delta', name: 'Delta Logic', published: 'breakthrough', reproduced: 'breakthrough', fit: { epsilon: 0.9, k: 3000, gamma: 3, r2: 0.71 }, error: (x, i) => (x > 3 ? 0.9 : 0.5) + 0.01 * wiggle(i, 3) },
  ];
  const taskResults: TaskResult[] = tasks.map((t, i) => ({
    task: t.task,
    name: t.name,
    published: t.published,
    reproduced: t.reproduced,
    rule: i + 1,
    fit: { epsilon: t.fit.epsilon, k: t.fit.k, logK: round(Math.log(t.fit.k)), gamma: t.fit.gamma, sse: 0.01, r2: t.fit.r2, n: models.length },
    features: { r2: t.fit.r2, trendT: 3 - i, noise: 0.02 },
    stability: Object.fromEntries(BEHAVIOURS.map((b) => [b, b === t.reproduced ? 0.8 : b === t.published ? 0.2 : 0])),
  }));
  const index = (b: string): number => BEHAVIOURS.indexOf(b);
  const matrix = BEHAVIOURS.map(() => BEHAVIOURS.map(() => 0));
  for (const t of taskResults) matrix[index(t.published!)]![index(t.reproduced)]! += 1;
  const count = (key: 'published' | 'reproduced'): Record<string, number> => Object.fromEntries(BEHAVIOURS.map((b) => [b, taskResults.filter((t) => t[key] === b).length]));
  const agree = taskResults.filter((t) => t.published === t.reproduced).length;
  const predictable = taskResults.filter((t) => t.reproduced === 'predictable').length;
  const binaryAgree = taskResults.filter((t) => (t.published === 'predictable') === (t.reproduced === 'predictable')).length;
  const doc: Reproduction = {
    schemaVersion: 1,
    configVersion: '1.0.0',
    study: 'synth2024',
    claims: 'claims2025',
    x: 'c4-validation',
    xSet: 'c4_val',
    studyInfo: { title: options.studyTitle ?? 'A Synthetic Study of Scaling', authors: options.authors ?? ['Ada Lovelace', 'Alan Turing'], year: 2024, venue: 'arXiv' },
    claimsInfo: { title: 'Claims About It', authors: ['Grace Hopper'], year: 2025 },
    published: { predictable: 1, total: 4, fraction: 0.25, counts: count('published') },
    reproduced: {
      predictable,
      total: 4,
      fraction: predictable / 4,
      ci95: [0, options.ciHigh ?? 0.5],
      counts: count('reproduced'),
      bootstrap: { replicates: 20, seed: 7, resampling: 'models with replacement, the same draw for every task; fit and rules re-run per replicate', covers: 'which models were evaluated, tasks and thresholds fixed' },
      taskInterval: { method: 'Wilson score interval on predictable/total', covers: 'the finite sample of tasks', ci95: [0.0456, 0.6994] },
    },
    leaveOneTaskOut: { binary: { agree: 3.5, total: 4 }, categories: { agree: 2, total: 4 }, tieBreak: 'average over tied optima' },
    agreement: {
      binary: { agree: binaryAgree, total: 4, kappa: 1, labels: ['predictable', 'not predictable'], matrix: [[1, 0], [0, 3]] },
      categories: { agree, total: 4, kappa: 0.6667, labels: BEHAVIOURS, matrix },
      matrixRows: 'published',
      matrixColumns: 'reproduced',
    },
    rules: [
      '1. **nonmonotonic** when z score of the weaker leg (`reversalZ`) is at least 3. Error rises and then falls.',
      '2. **trendless** when absolute t statistic of the line slope (`absTrendT`) is below 2. No trend.',
      '3. Otherwise **predictable**. Error falls with loss along the exponential.',
    ],
    tasks: taskResults,
  };
  const points = tasks.flatMap((t) => models.map((m, i) => ['synth2024', 'c4_val', t.task, m.model, m.corpus, m.params, m.tokens, m.x, round(t.error(m.x, i), 8)]));
  return { doc, points };
}

/** Write a synthetic outputs/ folder (reproduction.json, points.csv, tasks.csv, config/*.json) into `dir`. */
export function writeSyntheticOutputs(dir: string, options: FixtureOptions = {}): Reproduction {
  mkdirSync(dir, { recursive: true });
  const { doc, points } = syntheticReproduction(options);
  writeFileAtomic(join(dir, 'reproduction.json'), formatSortedJson(doc));
  writeFileAtomic(join(dir, 'points.csv'), formatCsv(['study', 'x_set', 'task', 'model', 'corpus', 'params', 'tokens', 'x', 'error'], points));
  writeFileAtomic(
    join(dir, 'tasks.csv'),
    formatCsv(['task', 'name', 'published', 'reproduced', 'r2'], doc.tasks.map((t) => [t.task, t.name, t.published, t.reproduced, t.fit.r2])),
  );
  writeFileAtomic(
    join(dir, 'config', 'analysis.json'),
    formatSortedJson({
      version: '1.0.0',
      fit: { form: 'exponential', bounds: { epsilon: [0, 1], logK: [0, 20], gamma: [0, 20] } },
      rules: [
        { behaviour: 'nonmonotonic', match: 'any', conditions: [{ feature: 'reversalZ', op: '>=', threshold: 3 }], why: 'Error rises and then falls.' },
        { behaviour: 'trendless', match: 'any', conditions: [{ feature: 'absTrendT', op: '<', threshold: 2 }], why: 'No trend.' },
        { behaviour: 'predictable', match: 'all', conditions: [], why: 'Error falls with loss along the exponential.' },
      ],
      bootstrap: { replicates: 20, seed: 7 },
    }),
  );
  writeFileAtomic(
    join(dir, 'config', 'calibration.json'),
    formatSortedJson({
      configVersion: '1.0.0',
      claims: 'claims2025',
      study: 'synth2024',
      x: 'c4_val',
      objective: 'most six-way agreement',
      gridSize: 120,
      chosen: { thresholds: { '1.1': 3, '2.1': 2 }, sixWay: 3, binary: 4 },
      leaveOneOut: { sixWay: 2, binary: 4, total: 4 },
    }),
  );
  return doc;
}
