/**
 * .ci/run under CI=true cannot pass without the browser test: when Chromium is not there and apt-get
 * keeps failing (a stub that says the apt lock is held), it retries for the bounded time and then
 * fails with a clear message, without running the tests. Outside CI it warns and goes on.
 */
import { chmodSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../pipeline/util/paths.ts';
import { runProcess, type CliRun } from '../helpers/cli.ts';
import { makeTempDir, removeTempDirs } from '../helpers/registry.ts';

afterAll(removeTempDirs);

/** A PATH with only what .ci/run needs, a failing apt-get and a make that records it was called; no Chromium. */
function stubs(): { bin: string; aptCalls: string; makeCalled: string } {
  const bin = makeTempDir('ci-bin-');
  const aptCalls = join(bin, 'apt-calls');
  const makeCalled = join(bin, 'make-called');
  for (const tool of ['dirname', 'sleep']) symlinkSync(['/usr/bin', '/bin'].map((d) => join(d, tool)).find(existsSync)!, join(bin, tool));
  writeFileSync(join(bin, 'apt-get'), `#!/bin/bash\necho "$*" >> '${aptCalls}'\necho 'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1234 (apt-get)' >&2\nexit 100\n`);
  writeFileSync(join(bin, 'make'), `#!/bin/bash\necho "$*" > '${makeCalled}'\n`);
  chmodSync(join(bin, 'apt-get'), 0o755);
  chmodSync(join(bin, 'make'), 0o755);
  return { bin, aptCalls, makeCalled };
}

function ciRun(env: Record<string, string>): Promise<CliRun> {
  return runProcess('/bin/bash', [join(ROOT, '.ci', 'run')], env);
}

describe('.ci/run', () => {
  it('under CI=true, retries apt-get for the bounded time, then fails clearly without running the tests', async () => {
    const { bin, aptCalls, makeCalled } = stubs();
    const run = await ciRun({ PATH: bin, CI: 'true', CI_APT_WAIT_SECONDS: '2', CI_APT_RETRY_SECONDS: '1', HOME: bin });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^ci: FAILED: could not install Chromium with apt-get within 2s \(is another process holding the apt lock\?\)/m);
    expect(run.stdout).toMatch(/retrying in 1s/);
    expect(readFileSync(aptCalls, 'utf8').split('\n').filter((l) => l.includes('update')).length).toBeGreaterThanOrEqual(2);
    expect(existsSync(makeCalled)).toBe(false);
  }, 60_000);

  it('outside CI, warns that the browser test will skip and runs make test', async () => {
    const { bin, makeCalled } = stubs();
    const run = await ciRun({ PATH: bin, CI_APT_WAIT_SECONDS: '2', CI_APT_RETRY_SECONDS: '1', HOME: bin });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('ci: could not install chromium; the browser test will say it skipped');
    expect(readFileSync(makeCalled, 'utf8').trim()).toBe('test');
  }, 60_000);

  it('under CI=true, hands the Chromium it finds to the tests', async () => {
    const { bin, makeCalled } = stubs();
    const chromium = join(bin, 'chromium');
    writeFileSync(chromium, '#!/bin/bash\n');
    chmodSync(chromium, 0o755);
    writeFileSync(join(bin, 'make'), `#!/bin/bash\necho "$CHROMIUM_PATH" > '${makeCalled}'\n`);
    const run = await ciRun({ PATH: bin, CI: 'true', HOME: bin });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(makeCalled, 'utf8').trim()).toBe(chromium);
  }, 60_000);
});
