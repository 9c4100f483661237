/** `make new-study`: the scaffold fails validation naming what to fill in, and passes once filled in. */
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newStudyCommand } from '../../pipeline/cli/new-study-command.ts';
import { PLACEHOLDER } from '../../pipeline/ingest/ids.ts';
import { copyRegistry, editJson, GOOD_REGISTRY, makeTempDir, readText, removeTempDirs, validate, writeText } from '../helpers/registry.ts';

let printed: string[] = [];
beforeEach(() => {
  printed = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
});
afterEach(() => vi.restoreAllMocks());
afterAll(removeTempDirs);

function placeholdersIn(value: unknown): string[] {
  if (typeof value === 'string') return PLACEHOLDER.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(placeholdersIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(placeholdersIn);
  return [];
}

describe('new-study', () => {
  it('scaffolds study.json and an observations.csv header that matches it', async () => {
    const dir = copyRegistry();
    expect(await newStudyCommand.run(['--id', 'smith2025', '--studies', dir])).toBe(0);
    const study = JSON.parse(readText(dir, 'smith2025/study.json'));
    expect(study.id).toBe('smith2025');
    expect(study.observations.level).toBe('model');
    expect(readText(dir, 'smith2025/observations.csv')).toBe('model,corpus,params,tokens,loss:todo_validation_set,task:todo_task\n');
    const instructions = printed.join('\n');
    expect(instructions).toMatch(/smith2025\/study\.json/);
    expect(instructions).toMatch(/replace every value that starts with "TODO"/);
    expect(instructions).toMatch(/make validate STUDIES=/);
  });

  it('adds run, step and final for --level checkpoint', async () => {
    const dir = copyRegistry();
    expect(await newStudyCommand.run(['--id', 'ladder', '--level', 'checkpoint', '--studies', dir])).toBe(0);
    expect(readText(dir, 'ladder/observations.csv')).toBe('model,corpus,run,step,final,params,tokens,loss:todo_validation_set,task:todo_task\n');
  });

  it('makes validate fail on the unfilled scaffold, naming each value to fill in, and nothing else', async () => {
    const dir = copyRegistry();
    await newStudyCommand.run(['--id', 'smith2025', '--studies', dir]);
    const { local } = validate(dir);
    const scaffold = JSON.parse(readText(dir, 'smith2025/study.json'));
    expect(local).toHaveLength(placeholdersIn(scaffold).length);
    expect(local.every((line) => line.startsWith('smith2025/study.json: /') && line.includes('still a placeholder from make new-study'))).toBe(true);
    expect(local).toContain("smith2025/study.json: /title: still a placeholder from make new-study: replace it with the paper's title");
    expect(local).toContain('smith2025/study.json: /year: still a placeholder from make new-study: replace it with year of publication, as a number such as 2025');
    expect(local).toContain('smith2025/study.json: /observations/tasks/0/chance: still a placeholder from make new-study: replace it with accuracy of random guessing as a fraction, e.g. 0.25 for four answer options');
    expect(local).toContain('smith2025/study.json: /observations/tasks/0/id: still a placeholder from make new-study: replace "todo_task" with a real id (and use the same id in the CSV)');
  });

  it('passes validate once filled in as the printed instructions say', async () => {
    const dir = copyRegistry();
    await newStudyCommand.run(['--id', 'smith2025', '--studies', dir]);

    // 1. Replace every TODO value, rename the todo_ ids, delete optional properties the source lacks.
    editJson(dir, 'smith2025/study.json', (s) => {
      Object.assign(s, { title: 'A synthetic study filled in by the new-study test', authors: ['Test Fixture'], year: 2025, venue: 'test fixture', arxiv: '2501.00001' });
      delete s.doi;
      delete s.harness;
      Object.assign(s.provenance, {
        repository: 'https://example.org/smith2025',
        commit: 'none',
        files: ['none: synthetic'],
        licence: 'CC0-1.0 (invented for testing)',
        derivation: 'Synthetic: numbers invented by the test suite.',
      });
      s.observations.corpora = [{ id: 'toyweb', name: 'Toy web corpus' }];
      s.observations.validationSets = [{ id: 'web', canonical: 'synthetic-web', name: 'Web validation' }];
      const task = s.observations.tasks[0];
      Object.assign(task, { id: 'toy_mc', name: 'Toy MC', benchmark: 'toy_mc', shots: 0, chance: 0.25, format: 'multiple choice' });
      delete task.items;
    });
    expect(placeholdersIn(JSON.parse(readText(dir, 'smith2025/study.json')))).toEqual([]);
    // 2. and 3. Header to match, one row per model.
    writeText(
      dir,
      'smith2025/observations.csv',
      ['model,corpus,params,tokens,loss:web,task:toy_mc', 'a,toyweb,1000000,20000000,4.0,0.3', 'b,toyweb,2000000,40000000,3.8,0.35', 'c,toyweb,4000000,80000000,3.6,0.41', ''].join('\n'),
    );
    // 4. make validate
    const { lines, studies } = validate(dir);
    expect(lines).toEqual([]);
    expect(studies.map((s) => s.id)).toContain('smith2025');
  });

  it.each([
    [['--id', '../x'], /^invalid study id "\.\.\/x": expected a lower-case id.*\(a name, not a path/],
    [['--id', 'Smith 2025'], /^invalid study id "Smith 2025": expected a lower-case id.*\(e\.g\. "smith-2025"\)/],
    [['--id', ''], /^missing study id: run make new-study ID=<id>/],
    [[], /^missing study id/],
    [['--id', 'synthetic-models'], /synthetic-models already exists: choose another id/],
    [['--id', 'ok', '--level', 'run'], /^invalid --level "run": expected "model" or "checkpoint"/],
  ])('refuses %j with a clear message and writes nothing', async (args, message) => {
    // A registry inside a private folder, so "nothing written beside it" does not depend on what else is in /tmp.
    const dir = join(makeTempDir('new-study-'), 'registry');
    cpSync(GOOD_REGISTRY, dir, { recursive: true });
    const before = readdirSync(dir).sort();
    await expect(newStudyCommand.run([...args, '--studies', dir])).rejects.toThrow(message);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(existsSync(join(dirname(dir), 'x'))).toBe(false);
    expect(readFileSync(join(dir, 'synthetic-models', 'study.json'), 'utf8')).toContain('"id": "synthetic-models"');
  });

  it('refuses a registry folder that does not exist', async () => {
    const dir = join(copyRegistry(), 'missing');
    await expect(newStudyCommand.run(['--id', 'smith2025', '--studies', dir])).rejects.toThrow(/registry folder .*missing not found/);
    expect(existsSync(dir)).toBe(false);
  });
});
