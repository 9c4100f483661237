/**
 * Contributions never break CI by existing: a copy of the repository's registry plus one new valid
 * study (5 runs × 30 checkpoints, two tasks not evaluated on one run, perplexity instead of loss)
 * validates and reproduces, and the new study is in every per-study output.
 */
import { cpSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { reproduce } from '../../pipeline/reproduce.ts';
import { STUDIES_DIR } from '../../pipeline/util/paths.ts';
import { CONTRIBUTED_TASKS, writeContributedStudy } from '../helpers/contributed-study.ts';
import { makeTempDir, removeTempDirs, validate } from '../helpers/registry.ts';

let registry: string;
let outputs: string;
let id: string;

beforeAll(async () => {
  registry = makeTempDir('contributed-');
  cpSync(STUDIES_DIR, registry, { recursive: true });
  id = writeContributedStudy(registry);
  outputs = makeTempDir('contributed-out-');
  const config = loadConfig();
  // Few replicates: this checks that the study flows through, not the statistics.
  config.bootstrap.replicates = 12;
  config.sensitivity.replicates = 10;
  await reproduce({ config, studiesDir: registry, outputsDir: outputs });
}, 600_000);
afterAll(removeTempDirs);

const csv = (name: string) => Papa.parse<Record<string, string>>(readFileSync(join(outputs, name), 'utf8'), { header: true, skipEmptyLines: true }).data;

describe('a copy of the registry with one more study', () => {
  it('validates with no problem', () => {
    expect(validate(registry).lines).toEqual([]);
  });

  it('gives the new study its entry in reproduction.json, with runs, checkpoints and the x in nats', () => {
    const document = JSON.parse(readFileSync(join(outputs, 'reproduction.json'), 'utf8'));
    const entry = document.studies.find((e: { study: string }) => e.study === id);
    expect(entry).toBeDefined();
    expect(entry.x).toMatchObject({ axis: 'loss:c4', canonical: 'c4-validation', unit: 'nats per token' });
    expect(entry.level).toBe('checkpoint');
    expect(entry.runs).toBe(5);
    // after-fraction 0.1 of 30 checkpoints: steps 300..3000 (28 per run) are usable.
    expect(entry.checkpoints).toBe(5 * 28);
    expect(entry.fitted + entry.insufficientData.length).toBe(CONTRIBUTED_TASKS.length);
    const piqa = entry.taskResults.find((t: { task: string }) => t.task === 'piqa_0shot');
    expect(piqa).toMatchObject({ points: 4 * 28, runs: 4 });
    const hellaswag = entry.taskResults.find((t: { task: string }) => t.task === 'hellaswag_0shot');
    expect(hellaswag).toMatchObject({ points: 5 * 28, runs: 5, label: 'predictable' });
    expect(entry.bootstrap.resampling).toMatch(/^runs with replacement/);
  });

  it('has the study in tasks.csv, stability.csv, registry.csv and points.csv', () => {
    const tasks = csv('tasks.csv').filter((r) => r.study === id);
    expect(tasks.map((r) => r.task)).toEqual(CONTRIBUTED_TASKS.map((t) => t.id));
    for (const row of tasks) expect(row).toMatchObject({ x: 'loss:c4', x_unit: 'nats per token' });
    expect(csv('stability.csv').filter((r) => r.study === id).length).toBeGreaterThan(0);
    expect(csv('registry.csv').filter((r) => r.study === id)).toEqual([expect.objectContaining({ n_runs: '5', n_tasks: '3', x: 'loss:c4' })]);
    const points = csv('points.csv').filter((r) => r.study === id && r.task === 'hellaswag_0shot');
    expect(points).toHaveLength(5 * 28);
    // Perplexity was converted to nats: x = ln(perplexity) lies in the loss range the study was built with.
    for (const p of points) expect(Number(p.x)).toBeGreaterThan(2.8);
  });

  it('draws the study in the report: a task grid for each behaviour its fitted tasks have', () => {
    const figures = readdirSync(join(outputs, 'report', 'figures'));
    const document = JSON.parse(readFileSync(join(outputs, 'reproduction.json'), 'utf8'));
    const entry = document.studies.find((e: { study: string }) => e.study === id);
    const behaviours = new Set<string>(entry.taskResults.filter((t: { label: string }) => t.label !== 'insufficient data').map((t: { label: string }) => t.label));
    expect(behaviours.size).toBeGreaterThan(0);
    for (const behaviour of behaviours) expect(figures).toContain(`tasks-${id}-${behaviour}.svg`);
  });
});
