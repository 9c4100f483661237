/**
 * outputs/ as one generation with its run record: a run killed at any point of the report stage (of
 * make reproduce or make report) leaves the previous outputs complete and consistent; make report
 * refuses outputs whose inputs changed; STUDIES=DIR is what is read and recorded.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_PATH } from '../../pipeline/config/analysis-config.ts';
import { publish } from '../../pipeline/publish/publish.ts';
import { rerenderReport } from '../../pipeline/report/rerender.ts';
import { ROOT } from '../../pipeline/util/paths.ts';
import { checkGeneration, readRunRecord } from '../../pipeline/util/run-record.ts';
import { runCli, STACK_LINE } from '../helpers/cli.ts';
import { commitQuickConfig, git, makeFakeRoot, reproduceIn } from '../helpers/fake-root.ts';
import { GOOD_REGISTRY, makeTempDir, removeTempDirs } from '../helpers/registry.ts';

afterAll(removeTempDirs);

const CLI = [join('pipeline', 'cli', 'main.ts')];

/** Run the CLI and SIGKILL it `delayMs` after it prints a line containing `marker`; resolves with whether it was killed. */
function runAndKill(args: string[], marker: string, delayMs: number): Promise<{ killed: boolean; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [...CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let armed = false;
    let killed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!armed && stdout.includes(marker)) {
        armed = true;
        setTimeout(() => {
          if (child.exitCode === null) {
            killed = true;
            // The whole process group: tsx, node and the pipeline's worker threads.
            process.kill(-child.pid!, 'SIGKILL');
          }
        }, delayMs);
      }
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', () => resolve({ killed, stdout }));
  });
}

const leftovers = (out: string): string[] => readdirSync(dirname(out)).filter((name) => name.startsWith(`.${basename(out)}.`));

describe('outputs/ as one generation', () => {
  it('a reproduce or report killed during the report stage leaves the previous outputs complete', async () => {
    const out = join(makeTempDir('generation-'), 'outputs');
    // --fresh: every run must compute (and reach its report stage), not copy a cached run.
    // The fixture's four models are below the configured minimum for a fit; allow them, so the report stage draws curves.
    const config = join(makeTempDir('config-'), 'analysis.json');
    const configured = JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'));
    configured.sufficiency.minPoints = 4;
    writeFileSync(config, JSON.stringify(configured));
    const args = ['reproduce', '--studies', GOOD_REGISTRY, '--config', config, '--out', out, '--replicates', '20', '--fresh', '--cache', makeTempDir('cache-')];
    const first = await runCli(args, 120_000);
    expect(first.code, first.stderr).toBe(0);
    const before = checkGeneration(out);
    expect(before.ok).toBe(true);
    const record = readFileSync(join(out, 'run-record.json'), 'utf8');
    let kills = 0;
    for (const [command, delay] of [['reproduce', 0], ['reproduce', 600], ['report', 300]] as const) {
      const run = command === 'reproduce' ? args : ['report', '--out', out];
      const { killed } = await runAndKill(run, command === 'reproduce' ? 'report: ' : 'report: outputs made from', delay);
      if (killed) kills++;
      const check = checkGeneration(out);
      expect(check.ok ? 'complete' : check.problem, `${command} killed ${delay} ms into the report stage`).toBe('complete');
      expect(readFileSync(join(out, 'run-record.json'), 'utf8')).toBe(record);
    }
    expect(kills).toBeGreaterThanOrEqual(2);
    // The next run clears what the killed ones left beside outputs/.
    const again = await runCli(['report', '--out', out], 60_000);
    expect(again.code, again.stderr).toBe(0);
    expect(leftovers(out)).toEqual([]);
    expect(readFileSync(join(out, 'run-record.json'), 'utf8')).toBe(record);
  }, 300_000);

  it('STUDIES=DIR is read, logged and recorded; a missing folder fails in one line', async () => {
    const registry = makeTempDir('studies-');
    cpSync(GOOD_REGISTRY, registry, { recursive: true });
    rmSync(join(registry, 'synthetic-checkpoints'), { recursive: true });
    const out = join(makeTempDir('generation-'), 'outputs');
    const run = await runCli(['reproduce', '--studies', registry, '--out', out, '--replicates', '20', '--cache', makeTempDir('cache-')], 120_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`ingest + normalize: reading ${registry}/`);
    const record = readRunRecord(out)!;
    expect(record.registry).toBe(registry);
    expect(Object.keys(record.inputs).some((f) => f.includes('synthetic-checkpoints'))).toBe(false);
    expect(Object.keys(record.inputs)).toContain(join(registry, 'synthetic-models', 'observations.csv'));
    expect(readFileSync(join(out, 'points.csv'), 'utf8')).not.toContain('synthetic-checkpoints');

    const missing = await runCli(['reproduce', '--studies', '/nonexistent', '--out', out], 90_000);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error: registry folder /nonexistent not found: --studies (make STUDIES=DIR) must be a folder of study folders, such as studies\n');
    expect(checkGeneration(out).ok).toBe(true);
    const calibrate = await runCli(['calibrate', '--studies', '/nonexistent'], 90_000);
    expect(calibrate.stderr).toMatch(/^Error: registry folder \/nonexistent not found/);
    expect(calibrate.stderr).not.toMatch(STACK_LINE);
  }, 240_000);

  it('the CLI with no arguments prints its help and exits non-zero', { timeout: 120_000 }, async () => {
    const run = await runCli([], 90_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Usage: .*<command>/);
    expect(run.stderr).toContain('reproduce');
  });
});

describe('publishing after an input change (in a throw-away repository)', () => {
  it('refuses the stale outputs naming the input; after reproduce it publishes and the changelog says what changed', async () => {
    const root = makeFakeRoot();
    commitQuickConfig(root);
    const outputs = join(root, 'outputs');
    const reports = join(root, 'reports');
    await reproduceIn(root);
    const first = await publish({ version: '0.1.0', outputsDir: outputs, reportsDir: reports, root });
    expect(first.manifest.git).toMatchObject({ repository: true, dirty: false });
    git(root, 'add', 'reports');
    git(root, 'commit', '-qm', 'publish 0.1.0');

    // One observation corrected and committed, outputs not reproduced.
    const csv = join(root, 'studies', 'synthetic-models', 'observations.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('0.38,0.61', '0.38,0.41'));
    git(root, 'commit', '-qam', 'correct one observation');
    await expect(publish({ version: '0.2.0', outputsDir: outputs, reportsDir: reports, root })).rejects.toThrow(
      'cannot publish: inputs changed since',
    );
    await expect(publish({ version: '0.2.0', outputsDir: outputs, reportsDir: reports, root })).rejects.toThrow(/studies\/synthetic-models\/observations\.csv changed; run make reproduce$/);
    await expect(rerenderReport(outputs, () => {}, root)).rejects.toThrow(/^cannot render the report: inputs changed since .* studies\/synthetic-models\/observations\.csv changed; run make reproduce$/);
    expect(existsSync(join(reports, 'v0.2.0'))).toBe(false);

    await reproduceIn(root);
    await publish({ version: '0.2.0', outputsDir: outputs, reportsDir: reports, root });
    const changelog = readFileSync(join(reports, 'CHANGELOG.md'), 'utf8');
    const entry = changelog.slice(changelog.indexOf('## 0.2.0'), changelog.indexOf('## 0.1.0'));
    expect(entry).toContain('- Inputs changed: `studies/synthetic-models/observations.csv`.');
    expect(entry).toMatch(/Headline/);
    expect(entry).toMatch(/task|Task/);
  }, 240_000);
});
