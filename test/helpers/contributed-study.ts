/**
 * A study as a contributor would add it, written to disk: several runs of many checkpoints, a task
 * not evaluated on one run (empty cells), and validation perplexity instead of loss. Benchmarks and
 * the validation set use canonical ids every registry's vocabulary has (c4-validation, hellaswag,
 * piqa, arc_easy), so it can join a copy of the repository's registry.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../pipeline/stats/random.ts';

export interface ContributedStudyOptions {
  id?: string;
  runs?: number;
  checkpointsPerRun?: number;
  /** Tasks left empty on the last run. */
  missingOnLastRun?: string[];
  seed?: number;
}

export const CONTRIBUTED_TASKS = [
  { id: 'hellaswag_0shot', benchmark: 'hellaswag', name: 'HellaSwag', chance: 0.25, truth: (loss: number) => 0.76 - 16.8 * Math.exp(-1.5 * loss) },
  { id: 'piqa_0shot', benchmark: 'piqa', name: 'PIQA', chance: 0.5, truth: (loss: number) => 0.5 - 6 * Math.exp(-1.2 * loss) },
  { id: 'arc_easy_0shot', benchmark: 'arc_easy', name: 'ARC-Easy', chance: 0.25, truth: () => 0.6 },
] as const;

const ITEMS = 2000;

/** Writes studies/<id>/{study.json, observations.csv} under `registryDir`; returns the study id. */
export function writeContributedStudy(registryDir: string, options: ContributedStudyOptions = {}): string {
  const { id = 'contributed-ladder', runs = 5, checkpointsPerRun = 30, missingOnLastRun = ['piqa_0shot', 'arc_easy_0shot'], seed = 17 } = options;
  const random = mulberry32(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const header = ['model', 'corpus', 'run', 'step', 'final', 'params', 'tokens', 'loss:c4', ...CONTRIBUTED_TASKS.map((t) => `task:${t.id}`)];
  const lines = [header.join(',')];
  for (let r = 0; r < runs; r++) {
    const params = 2e7 * 2 ** r;
    for (let c = 1; c <= checkpointsPerRun; c++) {
      const step = 100 * c;
      const tokens = params * 20 * (c / checkpointsPerRun);
      // Loss falls with size and with training; the study gives it as perplexity.
      const loss = 2.8 + 2.2 / (1 + r) + 1.2 * Math.exp(-c / 6);
      const cells = CONTRIBUTED_TASKS.map((task) => {
        if (r === runs - 1 && missingOnLastRun.includes(task.id)) return '';
        const error = task.truth(loss);
        const noisy = Math.min(1, Math.max(0, error + Math.sqrt((error * (1 - error)) / ITEMS) * normal()));
        return (1 - noisy).toFixed(6);
      });
      lines.push([`run${r}@${step}`, 'web', `run${r}`, step, c === checkpointsPerRun, params, tokens, Math.exp(loss).toFixed(6), ...cells].join(','));
    }
  }
  const study = {
    $schema: '../../schemas/study.schema.json',
    schemaVersion: 1,
    id,
    title: 'A contributed ladder of runs (synthetic, made by the test suite)',
    authors: ['Test Suite'],
    year: 2026,
    venue: 'test',
    provenance: {
      repository: 'https://example.org/contributed-ladder',
      commit: 'none',
      files: ['none: synthetic'],
      licence: 'CC0-1.0 (invented for testing)',
      importer: 'manual',
      derivation: 'Synthetic: runs of doubling size, checkpoints every 100 steps, validation perplexity on C4; two tasks not evaluated on the largest run.',
    },
    observations: {
      file: 'observations.csv',
      level: 'checkpoint',
      checkpoints: { use: 'after-fraction', fraction: 0.1, why: 'The first tenth of each run is warm-up.' },
      corpora: [{ id: 'web', name: 'Web text' }],
      scaleVariables: [
        { id: 'params', kind: 'parameters', unit: 'count' },
        { id: 'tokens', kind: 'tokens', unit: 'count' },
      ],
      validationSets: [{ id: 'c4', canonical: 'c4-validation', name: 'C4 validation', unit: 'perplexity' }],
      tasks: CONTRIBUTED_TASKS.map((t) => ({ id: t.id, name: t.name, benchmark: t.benchmark, shots: 0, items: ITEMS, chance: t.chance, metric: 'accuracy', unit: 'fraction', format: 'multiple choice' })),
    },
  };
  const dir = join(registryDir, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'study.json'), `${JSON.stringify(study, null, 2)}\n`);
  writeFileSync(join(dir, 'observations.csv'), `${lines.join('\n')}\n`);
  return id;
}
