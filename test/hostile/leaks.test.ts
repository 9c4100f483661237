/**
 * Secrets must not leak through messages, and nothing outside the registry may be read: a contributed
 * file that is a symbolic link is refused (never followed), and no message echoes more than 80
 * characters of any cell, header, key or value. Each case failed before the fix (the linked
 * /proc/self/environ printed the whole environment as an "undeclared column"; linked folders,
 * vocabularies and CSVs were accepted silently; a header line was echoed whole).
 */
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SYMLINK_MESSAGE } from '../../pipeline/ingest/read-text.ts';
import { runCli, STACK_LINE } from '../helpers/cli.ts';
import { copyRegistry, editJson, editText, GOOD_REGISTRY, makeTempDir, readText, removeTempDirs, validate } from '../helpers/registry.ts';

afterAll(removeTempDirs);

const M = 'synthetic-models';
const SECRET = 'AKIA_THIS_IS_A_SECRET_CANARY_0123456789';

/** A file outside the registry that looks like something one must never print. */
function secretFile(): string {
  const path = join(makeTempDir('secret-'), 'id_rsa');
  writeFileSync(path, `-----BEGIN OPENSSH PRIVATE KEY----- ${SECRET}\nTOKEN=${SECRET}\n`);
  return path;
}

/** Replace `file` in the registry `dir` with a symbolic link to `target`. */
function link(dir: string, file: string, target: string): void {
  rmSync(join(dir, file), { recursive: true, force: true });
  symlinkSync(target, join(dir, file));
}

describe('symbolic links are refused, never followed', () => {
  it('an observations.csv linked to a secret: refused by name, nothing of the secret printed', () => {
    const dir = copyRegistry();
    link(dir, `${M}/observations.csv`, secretFile());
    const { local, lines } = validate(dir);
    expect(local).toEqual([`${M}/observations.csv: ${SYMLINK_MESSAGE}`]);
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  it('an observations.csv linked to a valid observations.csv outside the registry', () => {
    const dir = copyRegistry();
    const outside = join(makeTempDir('outside-'), 'observations.csv');
    writeFileSync(outside, readText(dir, `${M}/observations.csv`));
    link(dir, `${M}/observations.csv`, outside);
    expect(validate(dir).local).toEqual([`${M}/observations.csv: ${SYMLINK_MESSAGE}`]);
  });

  it('a study.json linked to a valid study.json outside the registry', () => {
    const dir = copyRegistry();
    const outside = join(makeTempDir('outside-'), 'study.json');
    writeFileSync(outside, readText(dir, `${M}/study.json`));
    link(dir, `${M}/study.json`, outside);
    expect(validate(dir).local).toEqual([`${M}/study.json: ${SYMLINK_MESSAGE}`]);
  });

  it('a vocabulary.json linked to a valid vocabulary outside the registry', () => {
    const dir = copyRegistry();
    link(dir, 'vocabulary.json', join(GOOD_REGISTRY, 'vocabulary.json'));
    const { local } = validate(dir);
    expect(local).toContain(`vocabulary.json: ${SYMLINK_MESSAGE}`);
  });

  it('a whole study folder linked from outside the registry', () => {
    const dir = copyRegistry();
    const outside = makeTempDir('outside-study-');
    renameSync(join(dir, M), join(outside, M));
    symlinkSync(join(outside, M), join(dir, M));
    const { local, studies } = validate(dir);
    expect(local).toContain(`${M}: ${SYMLINK_MESSAGE}`);
    expect(studies.map((s) => s.id)).not.toContain(M);
  });

  it('a link anywhere inside a study folder, even one no file declares', () => {
    const dir = copyRegistry();
    mkdirSync(join(dir, M, 'notes'));
    symlinkSync(secretFile(), join(dir, M, 'notes', 'key'));
    expect(validate(dir).local).toEqual([`${M}/notes/key: ${SYMLINK_MESSAGE}`]);
  });

  it.runIf(existsSync('/proc/self/environ'))('make validate with observations.csv linked to /proc/self/environ prints no environment variable', async () => {
    const dir = copyRegistry();
    link(dir, `${M}/observations.csv`, '/proc/self/environ');
    const run = await runCli(['validate', '--studies', dir], 60_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(SYMLINK_MESSAGE);
    expect(run.stderr).not.toMatch(/PATH=|HOME=/);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});

describe('no message echoes more than 80 characters of contributed text', () => {
  const longest = (lines: string[]): number => Math.max(0, ...lines.map((line) => line.length));

  it('a header line that is a private key: at most 80 characters of it, and how many were cut', () => {
    const dir = copyRegistry();
    const key = `-----BEGIN OPENSSH PRIVATE KEY-----${'b3BlbnNzaC1rZXktdjEAAAAA'.repeat(40)}${SECRET}`;
    editText(dir, `${M}/observations.csv`, (t) => t.replace('\n', `,${key}\n`).replace(/\n(m\d[^\n]*)/g, '\n$1,1'));
    const { local } = validate(dir);
    expect(local).toHaveLength(1);
    expect(local[0]).toContain(`undeclared column ${JSON.stringify(key.slice(0, 80))}… (${(key.length - 80).toLocaleString('en-US')} more characters)`);
    expect(local[0]).not.toContain(SECRET);
  });

  it('a 20 MB header cell gives a message of a few hundred characters', () => {
    const dir = copyRegistry();
    const huge = 'A'.repeat(20_000_000);
    editText(dir, `${M}/observations.csv`, (t) => t.replace('\n', `,${huge}\n`).replace(/\n(m\d[^\n]*)/g, '\n$1,1'));
    const { lines } = validate(dir);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('(19,999,920 more characters)');
    expect(longest(lines)).toBeLessThan(600);
  });

  it('long cells in every kind of cell message are cut', () => {
    const dir = copyRegistry();
    const long = `x${'9'.repeat(5000)}`;
    editText(dir, `${M}/observations.csv`, (t) => t.replace('m2,toyweb,', `${long},${long},`).replace(',3.3,', `,${long},`).replace(',0.45,', `,1${'0'.repeat(400)},`));
    const { lines } = validate(dir);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(longest(lines)).toBeLessThan(400);
    expect(lines.join('\n')).toContain('more characters)');
  });

  it('long property names and values in study.json are cut (unexpected property, wrong type, duplicate key)', () => {
    const dir = copyRegistry();
    const long = `k${'e'.repeat(10_000)}`;
    editJson(dir, `${M}/study.json`, (j) => {
      j[long] = 1;
      j.year = long;
    });
    let { lines } = validate(dir);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(longest(lines)).toBeLessThan(500);
    editText(dir, `${M}/study.json`, (t) => t.replace('"schemaVersion": 1,', `"${long}": 1, "${long}": 2, "schemaVersion": 1,`));
    ({ lines } = validate(dir));
    expect(lines.some((line) => line.includes('duplicate property'))).toBe(true);
    expect(longest(lines)).toBeLessThan(500);
  });
});
