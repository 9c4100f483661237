/**
 * The Makefile passes every variable to the CLI as one literal argument: values that look like shell
 * (`$$(cmd)`, backticks, quotes) or make (`$(shell …)`) are never run, and paths with spaces work.
 * Exit status through make is make's own (2) when the command fails (CONTRIBUTING.md says so).
 */
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../pipeline/cli/commands.ts';
import { ROOT } from '../../pipeline/util/paths.ts';
import { runProcess, STACK_LINE, type CliRun } from '../helpers/cli.ts';
import { GOOD_REGISTRY, makeTempDir, removeTempDirs } from '../helpers/registry.ts';

afterAll(removeTempDirs);

function make(args: string[]): Promise<CliRun> {
  return runProcess('make', ['-s', '--no-print-directory', ...args], { ...process.env, NO_COLOR: '1' }, 400_000);
}

describe('Makefile variables', () => {
  it('never runs a hostile VERSION, ID or STUDIES value as a command', async () => {
    const sandbox = makeTempDir('make-hostile-');
    const marker = (n: number): string => join(sandbox, `pwned-${n}`);
    const hostile = [
      ['publish', `VERSION=$$(touch ${marker(1)})`],
      ['publish', `VERSION=\`touch ${marker(2)}\``],
      ['publish', `VERSION=x'; touch ${marker(3)}; '`],
      ['publish', `VERSION=$(shell touch ${marker(4)})`],
      ['new-study', `ID=$$(touch ${marker(5)})`, `STUDIES=${sandbox}`],
      ['validate', `STUDIES=$$(touch ${marker(6)})`],
      ['reproduce', `STUDIES=\`touch ${marker(7)}\``],
      ['calibrate', `STUDIES=x" $$(touch ${marker(8)}) "`],
    ];
    // Compile once first, so the parallel runs below do not all rebuild .build/ at the same time.
    expect((await make(['build'])).code).toBe(0);
    const runs = await Promise.all(hostile.map((args) => make(args)));
    runs.forEach((run, i) => {
      const what = hostile[i]!.join(' ');
      expect(run.code, what).toBe(2);
      expect(run.stderr, what).toMatch(/^Error: /m);
      expect(run.stderr, what).not.toMatch(STACK_LINE);
    });
    expect(readdirSync(sandbox).filter((name) => name.startsWith('pwned'))).toEqual([]);
    for (let n = 1; n <= 8; n++) expect(existsSync(marker(n))).toBe(false);
    // The value reached the CLI as typed, as one argument.
    expect(runs[0]!.stderr).toContain(`invalid version "$$(touch ${marker(1)})"`);
    expect(runs[2]!.stderr).toContain(`invalid version "x'; touch ${marker(3)}; '"`);
  }, 400_000);

  it('passes each switch the help and README name to the command (FRESH=1 → --fresh, APPLY=1 → --apply)', async () => {
    const dry = async (args: string[]): Promise<string> => (await make(['-n', ...args])).stdout;
    expect(await dry(['reproduce', 'FRESH=1'])).toMatch(/ reproduce .*--fresh/);
    expect(await dry(['reproduce'])).not.toContain('--fresh');
    expect(await dry(['calibrate', 'APPLY=1'])).toMatch(/ calibrate .*--apply/);
    expect(await dry(['publish', 'VERSION=1.2.3', 'NOTE=why $$(not run)'])).toContain(`publish --version '1.2.3' --note 'why $$(not run)'`);
  });

  it('passes a STUDIES path with spaces and quotes as one folder', async () => {
    const registry = join(makeTempDir('make-space-'), "my studies 'v2' $HOME");
    cpSync(GOOD_REGISTRY, registry, { recursive: true });
    const [validate, missing] = await Promise.all([make(['validate', `STUDIES=${registry}`]), make(['validate', 'STUDIES=/nonexistent dir'])]);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toMatch(/^validate: ok — /);
    // The CLI exits 1; make reports the failure as its own status 2.
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^Error: registry folder \/nonexistent dir not found/);
  }, 120_000);

  it('has a target with a help line for every CLI command, every .PHONY name and every `make X` the README names', async () => {
    const makefile = readFileSync(join(ROOT, 'Makefile'), 'utf8');
    const helped = new Set([...makefile.matchAll(/^([a-z-]+):[^\n]*## /gm)].map((m) => m[1]!));
    const phony = makefile.match(/^\.PHONY:(.*)$/m)![1]!.trim().split(/\s+/);
    const named = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/`make ([a-z-]+)/g)].map((m) => m[1]!);
    for (const name of [...Object.keys(COMMANDS), ...phony, ...named]) expect(helped, `make ${name}`).toContain(name);
    // A .PHONY name without a rule is not an error to make: it does nothing and exits 0.
    const figures = await make(['-n', 'figures']);
    expect(figures.stdout).toMatch(/pipeline\/cli\/launch\.sh figures/);
  });

  it('starts every command through the launcher, which says what to do when nothing is compiled', async () => {
    for (const command of ['reproduce', 'report', 'validate']) expect((await make(['-n', command])).stdout).toMatch(new RegExp(`pipeline/cli/launch\\.sh ${command}`));
    const copy = join(makeTempDir('launcher-'), 'pipeline', 'cli');
    cpSync(join(ROOT, 'pipeline', 'cli', 'launch.sh'), join(copy, 'launch.sh'));
    const run = await runProcess(join(copy, 'launch.sh'), ['--help']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: the compiled CLI is missing \(\.build\/pipeline\/cli\/main\.js\): run make build/);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});
