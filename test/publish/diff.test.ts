/**
 * `make diff`: a pull-request-like change (one task's data altered so its label flips, one study
 * added) is summarised in Markdown naming both, with the headline before → after and the inputs
 * changed; --fail-on-headline-change turns a changed headline into exit status 1.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { diffOutputs, findHeadlines } from '../../pipeline/publish/diff.ts';
import { reproduce } from '../../pipeline/reproduce.ts';
import { runCli } from '../helpers/cli.ts';
import { GOOD_REGISTRY, makeTempDir, removeTempDirs } from '../helpers/registry.ts';

afterAll(removeTempDirs);

function quickConfig() {
  const config = loadConfig();
  config.bootstrap.replicates = 20;
  config.sensitivity.replicates = 10;
  // The fixture has four models: enough for the pipeline to label them, if not for a real study.
  config.sufficiency.minPoints = 4;
  return config;
}

let base: string;
let changed: string;
let baseDoc: any;
let changedDoc: any;
let flipped: string;

beforeAll(async () => {
  const before = makeTempDir('diff-studies-a-');
  cpSync(GOOD_REGISTRY, before, { recursive: true });
  base = join(makeTempDir('diff-out-a-'), 'outputs');
  await reproduce({ config: quickConfig(), studiesDir: before, outputsDir: base });

  // The pull request: one task's accuracies reversed (falling with scale), and a new study.
  const after = makeTempDir('diff-studies-b-');
  cpSync(GOOD_REGISTRY, after, { recursive: true });
  const csv = join(after, 'synthetic-models', 'observations.csv');
  const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const column = header.indexOf('task:toy_cloze');
  const values = lines.slice(1).map((line) => line.split(',')[column]!);
  const reversed = [...values].reverse();
  writeFileSync(csv, `${[lines[0], ...lines.slice(1).map((line, i) => line.split(',').map((cell, j) => (j === column ? reversed[i] : cell)).join(','))].join('\n')}\n`);
  cpSync(join(after, 'synthetic-models'), join(after, 'synthetic-extra'), { recursive: true });
  const study = join(after, 'synthetic-extra', 'study.json');
  writeFileSync(study, readFileSync(study, 'utf8').replace('"id": "synthetic-models"', '"id": "synthetic-extra"'));
  changed = join(makeTempDir('diff-out-b-'), 'outputs');
  await reproduce({ config: quickConfig(), studiesDir: after, outputsDir: changed });
  baseDoc = JSON.parse(readFileSync(join(base, 'reproduction.json'), 'utf8'));
  changedDoc = JSON.parse(readFileSync(join(changed, 'reproduction.json'), 'utf8'));
  const label = (doc: any) => doc.studies.find((s: any) => s.study === 'synthetic-models').taskResults.find((t: any) => t.task === 'toy_cloze').label;
  flipped = `${label(baseDoc)} | ${label(changedDoc)}`;
}, 240_000);

describe('make diff', () => {
  it('the fixture change really flips the task label', () => {
    const [was, now] = flipped.split(' | ');
    expect(now).not.toBe(was);
  });

  it('names the task whose label flipped, with its rule, the study added, the headline and the inputs changed', () => {
    const { markdown, headlineChanges } = diffOutputs({ base, outputsDir: changed });
    const [was, now] = flipped.split(' | ');
    const rule = changedDoc.studies.find((s: any) => s.study === 'synthetic-models').taskResults.find((t: any) => t.task === 'toy_cloze').rule as number;
    expect(markdown).toMatch(/^## What this change does to the results\n/);
    expect(markdown).toContain('### Tasks whose label changed (1)');
    expect(markdown).toContain(`| synthetic-models | Toy cloze (\`toy_cloze\`) | ${was} | ${now} | ${rule}. **${now}** `);
    expect(markdown).toContain('- Added: `synthetic-extra`.');
    expect(markdown).toContain('- Removed: none.');
    expect(markdown).toContain('- changed: `studies/synthetic-models/observations.csv`');
    expect(markdown).toContain('- added: `studies/synthetic-extra/observations.csv`, `studies/synthetic-extra/study.json`');
    const b = findHeadlines(baseDoc)[0]!;
    const a = findHeadlines(changedDoc)[0]!;
    expect(markdown).toContain(`| synthetic-models (x = ${a.x}) | ${b.predictable} of ${b.total} (`);
    expect(markdown).toContain(`| ${a.predictable} of ${a.total} (`);
    expect(headlineChanges).toEqual(a.predictable !== b.predictable ? ['synthetic-models'] : []);
  });

  it('against itself, says nothing changed', () => {
    const { markdown, headlineChanges } = diffOutputs({ base, outputsDir: base });
    expect(headlineChanges).toEqual([]);
    expect(markdown).toContain('| unchanged |');
    expect(markdown).toContain('No task present in both changed its reproduced behaviour.');
    expect(markdown).toContain('None (same sha256 of every study, configuration and schema file).');
  });

  it('exits 0 by default and 1 with --fail-on-headline-change when a headline changed', async () => {
    const [plain, gate, same] = await Promise.all([
      runCli(['diff', '--base', base, '--out', changed], 110_000),
      runCli(['diff', '--base', base, '--out', changed, '--fail-on-headline-change'], 110_000),
      runCli(['diff', '--base', base, '--out', base, '--fail-on-headline-change'], 110_000),
    ]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('- Added: `synthetic-extra`.');
    const headlineMoved = diffOutputs({ base, outputsDir: changed }).headlineChanges.length > 0;
    expect(gate.code).toBe(headlineMoved ? 1 : 0);
    if (headlineMoved) expect(gate.stderr).toMatch(/^diff: the published headline changed for synthetic-models/);
    expect(same.code).toBe(0);
  }, 240_000);

  it('refuses an unknown version in one line', () => {
    expect(() => diffOutputs({ base: '9.9.9', outputsDir: base })).toThrow(/^version 9\.9\.9 is not published under reports: published are /);
  });
});
