/**
 * The GitHub Actions workflows cannot run here, so they are checked here: each file under
 * .github/workflows passes @action-validator/cli (the workflow JSON Schema, plus its own checks), a
 * spoiled copy fails it, and the CI workflow does what CONTRIBUTING promises a pull request gets.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../pipeline/util/paths.ts';
import { runProcess } from '../helpers/cli.ts';
import { makeTempDir, removeTempDirs } from '../helpers/registry.ts';

afterAll(removeTempDirs);

const WORKFLOWS = join(ROOT, '.github', 'workflows');
const workflowFiles = readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name)).map((name) => join(WORKFLOWS, name));

async function actionValidator(file: string): Promise<{ code: number | null; output: string }> {
  const run = await runProcess(join(ROOT, 'node_modules', '.bin', 'action-validator'), [file], { ...process.env, NO_COLOR: '1' });
  return { code: run.code, output: run.stdout + run.stderr };
}

describe('GitHub workflows', () => {
  it('there is at least one workflow', () => {
    expect(workflowFiles.length).toBeGreaterThan(0);
  });

  for (const file of workflowFiles) {
    it(`${file.slice(ROOT.length + 1)} passes action-validator`, async () => {
      const { code, output } = await actionValidator(file);
      expect(output).toBe('');
      expect(code).toBe(0);
    }, 60_000);
  }

  it('a spoiled workflow fails action-validator, naming the problem', async () => {
    const spoiled = join(makeTempDir('workflow-'), 'ci.yml');
    writeFileSync(spoiled, readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8').replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest'));
    const { code, output } = await actionValidator(spoiled);
    expect(code).not.toBe(0);
    expect(output).toMatch(/runs_on/);
  }, 60_000);

  it('the CI workflow runs on pull requests and main, with Node from package.json, and does every promised step', () => {
    const text = readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8');
    expect(text).toMatch(/^on:\n {2}pull_request:\n {2}push:\n {4}branches: \[main\]$/m);
    expect(text).toMatch(/uses: actions\/setup-node@v\d+\n\s+with:\n\s+node-version-file: package\.json\n\s+cache: npm/);
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines?.node;
    expect(engines, 'setup-node reads engines.node from package.json').toBeTruthy();
    const order = ['apt-get install -y -qq chromium', 'run: make validate', 'run: make test', 'run: make reproduce', 'path: outputs/report/', 'make diff >> "$GITHUB_STEP_SUMMARY"'];
    const positions = order.map((step) => text.indexOf(step));
    expect(positions.every((p) => p >= 0), JSON.stringify(Object.fromEntries(order.map((s, i) => [s, positions[i]])))).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain("CI: 'true'");
  });

  it('a pull-request template with the checklist and a "propose a study" issue template exist', () => {
    const template = readFileSync(join(ROOT, '.github', 'PULL_REQUEST_TEMPLATE.md'), 'utf8');
    for (const item of ['make validate', 'make test', 'provenance', 'licence', 'make diff']) expect(template).toContain(item);
    const propose = join(ROOT, '.github', 'ISSUE_TEMPLATE', 'propose-a-study.yml');
    expect(existsSync(propose)).toBe(true);
    const text = readFileSync(propose, 'utf8');
    for (const field of ['id: source', 'id: licence', 'id: adds']) expect(text).toContain(field);
  });
});
