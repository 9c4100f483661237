/**
 * Silent nonsense (issue 11, item 6): data a scaling law cannot be judged on must come out labelled
 * "insufficient data" with its reason, never classified, never counted, and never crash a stage.
 * Failed before the fix: 3 models (the minimum the validator allows) made the 3-parameter fit exact
 * and 24 of 46 tasks "predictable" (interval 0–65%) without a warning; a constant x gave 0/46 without
 * a warning; many models at only two losses gave 46/46 "predictable" (found by this suite).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { reproduce } from '../../pipeline/reproduce.ts';
import { copyRegistry, editJson, makeTempDir, removeTempDirs, writeText } from '../helpers/registry.ts';

afterAll(removeTempDirs);

const M = 'synthetic-models';
const TASKS = 46;

/**
 * The good fixture with synthetic-models (the study the claims are about) holding 46 tasks and one
 * row per given loss; the task scores fall smoothly with the row's loss, as a scaling law would.
 */
function registryWithLosses(losses: number[]): string {
  const dir = copyRegistry();
  editJson(dir, `${M}/study.json`, (j) => {
    const template = j.observations.tasks[0];
    j.observations.tasks.push(...Array.from({ length: TASKS - 2 }, (_, i) => ({ ...template, id: `t${i}`, name: `Task ${i}` })));
  });
  const header = ['model', 'corpus', 'params', 'tokens', 'loss:web', 'loss:code', 'task:toy_mc', 'task:toy_cloze', ...Array.from({ length: TASKS - 2 }, (_, i) => `task:t${i}`)];
  const lines = losses.map((loss, r) => {
    const scores = Array.from({ length: TASKS }, (_, k) => (0.9 - 0.12 * loss + 0.002 * k).toFixed(4));
    return [`m${r}`, 'toyweb', 1_000_000 * (r + 1), 20_000_000 * (r + 1), loss, loss - 0.9, ...scores].join(',');
  });
  writeText(dir, `${M}/observations.csv`, `${header.join(',')}\n${lines.join('\n')}\n`);
  return dir;
}

interface Outputs {
  tasks: Record<string, string>[];
  registry: Record<string, string>;
  study: { fitted: number; fraction: number | null; ci95: unknown; counts: Record<string, number>; insufficientData: { reason: string }[] };
  report: string;
}

async function reproduceQuickly(registry: string): Promise<Outputs> {
  const config = loadConfig();
  config.bootstrap.replicates = 10;
  config.sensitivity.replicates = 5;
  const out = makeTempDir('nonsense-out-');
  await reproduce({ config, studiesDir: registry, outputsDir: out });
  const csv = (name: string) => Papa.parse<Record<string, string>>(readFileSync(join(out, name), 'utf8'), { header: true, skipEmptyLines: true }).data;
  const reproduction = JSON.parse(readFileSync(join(out, 'reproduction.json'), 'utf8'));
  return {
    tasks: csv('tasks.csv').filter((row) => row.study === M),
    registry: csv('registry.csv').find((row) => row.study === M)!,
    study: reproduction.studies.find((s: { study: string }) => s.study === M),
    report: readFileSync(join(out, 'report', 'report.md'), 'utf8'),
  };
}

/** Every task of the study is "insufficient data" with `reason`; nothing is classified or counted. */
function expectNothingCounted(outputs: Outputs, reason: RegExp): void {
  expect(outputs.tasks).toHaveLength(TASKS);
  for (const row of outputs.tasks) {
    expect(row.label).toBe('insufficient data');
    expect(row.reason).toMatch(reason);
    expect(row.rule).toBe('');
    expect(row.r2).toBe('');
  }
  expect(outputs.registry).toMatchObject({ n_tasks: '46', n_fitted: '0', n_insufficient_data: '46', predictable: '0', fraction: '', ci_low: '', ci_high: '' });
  expect(outputs.study).toMatchObject({ fitted: 0, fraction: null, ci95: null });
  expect(Object.values(outputs.study.counts).every((n) => n === 0)).toBe(true);
  expect(outputs.study.insufficientData).toHaveLength(TASKS);
  expect(outputs.report).toContain(`${M} 46`);
}

describe('data too thin for a scaling law is labelled, not classified', () => {
  it('3 models (the minimum the validator allows): every task "insufficient data", no share, no crash', async () => {
    const outputs = await reproduceQuickly(registryWithLosses([4.0, 3.6, 3.2]));
    expectNothingCounted(outputs, /^3 points with x and error known; the rule needs at least 8$/);
  }, 120_000);

  it('a constant x (40 models, one loss): every task "insufficient data" with that reason', async () => {
    const outputs = await reproduceQuickly(registryWithLosses(Array.from({ length: 40 }, () => 3.5)));
    expectNothingCounted(outputs, /^x takes a single value on these points, so no curve can be fitted$/);
  }, 120_000);

  it('40 models at only two losses: every task "insufficient data", not 46 of 46 predictable', async () => {
    const outputs = await reproduceQuickly(registryWithLosses(Array.from({ length: 40 }, (_, r) => (r % 2 === 0 ? 3.5 : 3.0))));
    expectNothingCounted(outputs, /^x takes only 2 distinct values on these 40 points; the rule needs at least 8 /);
  }, 120_000);

  it('the same study with 40 distinct losses is fitted and counted (the rule excludes only thin data)', async () => {
    const outputs = await reproduceQuickly(registryWithLosses(Array.from({ length: 40 }, (_, r) => 4.0 - r / 40)));
    expect(outputs.tasks.filter((row) => row.label === 'insufficient data')).toEqual([]);
    expect(outputs.registry).toMatchObject({ n_fitted: '46', n_insufficient_data: '0' });
    expect(outputs.study.fitted).toBe(46);
  }, 120_000);
});
