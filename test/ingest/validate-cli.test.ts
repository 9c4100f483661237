/** `make validate` as a contributor sees it: the CLI run as a subprocess, exit codes and output. */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STUDIES_DIR } from '../../pipeline/util/paths.ts';
import { runCli, STACK_LINE } from '../helpers/cli.ts';
import { cellColumn, makeTempDir, removeTempDirs, setCell } from '../helpers/registry.ts';

afterAll(removeTempDirs);

describe('validate (subprocess)', () => {
  it('reports an accuracy of 1.7 in a copy of gadre2024 with file:line:column and the column, exit 1, no stack', async () => {
    const dir = makeTempDir();
    for (const entry of ['gadre2024', 'lourie2025', 'vocabulary.json']) cpSync(join(STUDIES_DIR, entry), join(dir, entry), { recursive: true });
    const csv = 'gadre2024/observations.csv';
    const column = cellColumn(readFileSync(join(dir, csv), 'utf8'), 5, 'task:arc_easy');
    setCell(dir, csv, 5, 'task:arc_easy', '1.7');

    const run = await runCli(['validate', '--studies', dir]);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`gadre2024/observations.csv:5:${column}: task:arc_easy must be an accuracy as a fraction between 0 and 1, found 1.7`);
    expect(run.stderr).not.toMatch(STACK_LINE);
    // Only that problem (lourie2025's claims about gadre2024 are not dragged in) and the summary.
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(2);
    expect(run.stderr).toMatch(/validate: 1 problem found/);
  });

  it('accepts the untouched registry: exit 0 and a one-line summary', async () => {
    const run = await runCli(['validate', '--studies', STUDIES_DIR]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stdout).toMatch(/^validate: ok — \d+ studies with data, \d+ with claims, \d+ models\/checkpoints/);
  });

  it('refuses a study folder passed as the registry, without a stack', async () => {
    const run = await runCli(['validate', '--studies', join(STUDIES_DIR, 'gadre2024')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/studies\/gadre2024: expected a registry \(a folder of study folders\), found a single study folder/);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});

describe('new-study (subprocess)', () => {
  it('refuses an id like ../x and an existing folder with an Error: line, exit 1, no stack', async () => {
    const dir = makeTempDir();
    const bad = await runCli(['new-study', '--id', '../x', '--studies', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: invalid study id "\.\.\/x": expected a lower-case id/);
    expect(bad.stderr).not.toMatch(STACK_LINE);

    cpSync(join(STUDIES_DIR, 'vocabulary.json'), join(dir, 'vocabulary.json'));
    const first = await runCli(['new-study', '--id', 'smith2025', '--studies', dir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Created .*smith2025\/study\.json/);
    const again = await runCli(['new-study', '--id', 'smith2025', '--studies', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^Error: .*smith2025 already exists/);
    expect(again.stderr).not.toMatch(STACK_LINE);
  });
});
