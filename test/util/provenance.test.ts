import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { gitState, sha256, sha256Text } from '../../pipeline/util/provenance.ts';

const dir = mkdtempSync(join(tmpdir(), 'provenance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const expected = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('sha256 of a file (read in chunks)', () => {
  it.each([
    ['empty', 0],
    ['shorter than a chunk', 1000],
    ['exactly one chunk', 1 << 20],
    ['several chunks and a part', 3 * (1 << 20) + 12345],
  ])('equals the hash of the whole contents: %s', (name, size) => {
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 2654435761) >>> 24;
    const path = join(dir, `${name}.bin`);
    writeFileSync(path, bytes);
    expect(sha256(path)).toBe(expected(bytes));
  });

  it('agrees with sha256Text on the same text, and hashes files one after another independently', () => {
    writeFileSync(join(dir, 'a.txt'), 'alpha\n');
    writeFileSync(join(dir, 'b.txt'), 'beta\n');
    expect(sha256(join(dir, 'a.txt'))).toBe(sha256Text('alpha\n'));
    expect(sha256(join(dir, 'b.txt'))).toBe(sha256Text('beta\n'));
    expect(sha256(join(dir, 'a.txt'))).toBe(sha256Text('alpha\n'));
  });

  it('names the file when it cannot be read', () => {
    expect(() => sha256(join(dir, 'missing.txt'))).toThrow(/missing\.txt/);
  });
});

describe('git state', () => {
  const saved = { HOME: process.env.HOME, SHLVL: process.env.SHLVL };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("is read without the user's ~/.bashrc, even where bash would take itself for a remote login shell", async () => {
    const repository = join(dir, 'repository');
    mkdirSync(repository);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.org', ...args], { cwd: repository, encoding: 'utf8' }).trim();
    git('init', '-q');
    writeFileSync(join(repository, 'file.txt'), 'one\n');
    git('add', 'file.txt');
    git('commit', '-q', '-m', 'first');
    // bash reads ~/.bashrc when its standard input is a socket and it is the first shell (SHLVL unset):
    // a .bashrc that prints would then put its text before git's answers.
    const home = join(dir, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.bashrc'), 'echo "hello from .bashrc"\n');
    process.env.HOME = home;
    delete process.env.SHLVL;
    expect(await gitState(repository)).toEqual({ repository: true, commit: git('rev-parse', 'HEAD'), dirty: false });
    writeFileSync(join(repository, 'file.txt'), 'two\n');
    expect(await gitState(repository)).toMatchObject({ repository: true, dirty: true });
  });
});
