/**
 * Faults of the machine give one `Error:` line naming the path and the cause, exit 1, no stack.
 * Failed before the fix: `--out` pointing at a file failed with a raw stack after the whole pipeline
 * had run, and a full disk printed a stack (or, once caught, a message without the file).
 */
import { accessSync, chmodSync, constants, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../pipeline/util/files.ts';
import { describeSystemError, internalErrorLine } from '../../pipeline/util/errors.ts';
import { runCli, STACK_LINE } from '../helpers/cli.ts';
import { GOOD_REGISTRY, makeTempDir, removeTempDirs } from '../helpers/registry.ts';
import { DEFAULT_CONFIG_PATH } from '../../pipeline/config/analysis-config.ts';
import { writeRunRecord } from '../../pipeline/util/run-record.ts';
import { writeSyntheticOutputs } from '../report/fixtures.ts';

afterAll(removeTempDirs);

function refusesWrites(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EACCES';
  }
}

/** The single line a command printed on stderr, checked to be an Error: line without a stack. */
function errorLine(stderr: string): string {
  expect(stderr).not.toMatch(STACK_LINE);
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('faults name the path and the cause', () => {
  it('reproduce --out pointing at a file is refused before any work', async () => {
    const file = join(makeTempDir('out-file-'), 'outputs');
    writeFileSync(file, 'not a folder');
    const run = await runCli(['reproduce', '--out', file, '--replicates', '2'], 60_000);
    expect(run.code).toBe(1);
    expect(errorLine(run.stderr)).toBe(`Error: --out ${file}: expected a folder, found a file`);
    expect(run.stdout).toBe('');
  });

  it('a file where the report folder should be is one Error: line (the outputs are no longer one generation)', async () => {
    // make report renders into a new generation (pipeline/util/generation.ts), so a stray file cannot
    // break the write itself; the run record check refuses the spoiled outputs first, in one line.
    const out = makeTempDir('report-fault-');
    writeSyntheticOutputs(out);
    await writeRunRecord(out, { registryDir: GOOD_REGISTRY, configPath: DEFAULT_CONFIG_PATH, configSha256: 'test' });
    writeFileSync(join(out, 'report'), 'a file where the report folder should be');
    const run = await runCli(['report', '--out', out], 90_000);
    expect(run.code).toBe(1);
    expect(errorLine(run.stderr)).toMatch(/^Error: cannot render the report: .+ is not one complete generation: report was not written by the run; run make reproduce$/);
  });

  it('a full disk: one line with the cause, and the failed write names its file', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', errno: -28 });
    expect(describeSystemError(full)).toBe('write: no space left on the device (ENOSPC)');
    expect(describeSystemError(new Error('report failed', { cause: Object.assign(new Error('x'), { code: 'ENOSPC', syscall: 'write', path: '/out/a.csv' }) }))).toBe(
      'cannot write /out/a.csv: no space left on the device (ENOSPC)',
    );
  });

  it.runIf(existsSync('/dev/full'))('a write to a full device (/dev/full) is reported with the file it was writing', () => {
    const dir = makeTempDir('full-');
    const path = join(dir, 'points.csv');
    // writeFileAtomic writes a sibling temp file first; make that one the always-full device.
    symlinkSync('/dev/full', `${path}.tmp-${process.pid}`);
    let thrown: unknown;
    try {
      writeFileAtomic(path, 'x'.repeat(100_000));
    } catch (error) {
      thrown = error;
    }
    expect(describeSystemError(thrown)).toBe(`cannot write ${path}: no space left on the device (ENOSPC)`);
    expect(existsSync(path)).toBe(false);
  });

  it.runIf(process.getuid?.() !== 0)('a read-only output folder is refused with the folder and the cause', async () => {
    const dir = makeTempDir('read-only-');
    chmodSync(dir, 0o555);
    const run = await runCli(['reproduce', '--out', join(dir, 'out'), '--replicates', '2'], 60_000);
    chmodSync(dir, 0o755);
    expect(run.code).toBe(1);
    expect(errorLine(run.stderr)).toBe(`Error: --out ${join(dir, 'out')}: cannot access ${dir}: permission denied (EACCES)`);
  });

  // Root may write into any folder whose mode forbids it, so the test above cannot run as root; /proc/sys
  // refuses writes to root too, so the same fault is checked there wherever that holds.
  it.runIf(refusesWrites('/proc/sys'))('an output folder that refuses writes even to root (/proc/sys) is refused with the folder and the cause', async () => {
    const run = await runCli(['reproduce', '--out', '/proc/sys/dsa-outputs', '--replicates', '2'], 60_000);
    expect(run.code).toBe(1);
    expect(errorLine(run.stderr)).toBe('Error: --out /proc/sys/dsa-outputs: cannot access /proc/sys: permission denied (EACCES)');
    expect(run.stdout).toBe('');
  });

  it('a bug is one line too, said to be a bug, without its stack', () => {
    expect(describeSystemError(new TypeError('x is undefined'))).toBeUndefined();
    const line = internalErrorLine(new RangeError('fitExponential requires finite x and y\n    at fitExponential (file:///x.js:1:1)'));
    expect(line).toBe('Error: internal error (a bug in the pipeline, not a problem with your input): RangeError: fitExponential requires finite x and y. Please report it; DEBUG=1 prints where it happened.');
    expect(line).not.toMatch(STACK_LINE);
  });
});
