/**
 * `make publish`: an immutable version folder with a manifest whose hashes match its files, never an
 * overwrite, a changelog that says what changed, and the same bytes for the same tree.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../pipeline/util/errors.ts';
import type { Manifest } from '../../pipeline/publish/manifest.ts';
import { publish } from '../../pipeline/publish/publish.ts';
import { renderReport } from '../../pipeline/report/render-report.ts';
import { ROOT } from '../../pipeline/util/paths.ts';
import { runCli, STACK_LINE } from '../helpers/cli.ts';
import { CORE_SECTIONS, makeTempDir, removeTempDirs, writeSyntheticOutputs, type FixtureOptions } from '../report/fixtures.ts';

function allFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return found.sort();
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A synthetic outputs/ folder with its report rendered. */
async function outputsWithReport(options: FixtureOptions = {}): Promise<string> {
  const dir = makeTempDir('publish-outputs-');
  writeSyntheticOutputs(dir, options);
  await renderReport(dir, () => {}, CORE_SECTIONS);
  return dir;
}

let outputs: string;
beforeAll(async () => {
  outputs = await outputsWithReport();
});
afterAll(removeTempDirs);

describe('publish', () => {
  it('writes the report, figures, data and a manifest whose hashes match every file', () => {
    const reports = makeTempDir('reports-');
    const result = publish({ version: '0.1.0', outputsDir: outputs, reportsDir: reports });
    const dir = join(reports, 'v0.1.0');
    expect(result.directory).toBe(dir);
    const files = allFiles(dir);
    expect(files).toEqual(result.files);
    for (const name of ['manifest.json', 'reproduction.json', 'points.csv', 'tasks.csv', 'config/analysis.json', 'report/report.html', 'report/report.md', 'report/figures/task-alpha.svg', 'report/figures/task-alpha.png', 'report/tables/task-fits.csv']) {
      expect(files).toContain(name);
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(Object.keys(manifest.outputs)).toEqual(files.filter((f) => f !== 'manifest.json'));
    for (const [name, hash] of Object.entries(manifest.outputs)) expect(sha256(join(dir, name)), name).toBe(hash);
    // Inputs: every file of studies/, pipeline/config/*.json and schemas/*.json, hashed.
    expect(Object.keys(manifest.inputs)).toContain('studies/gadre2024/observations.csv');
    expect(Object.keys(manifest.inputs)).toContain('pipeline/config/analysis.json');
    expect(Object.keys(manifest.inputs).some((f) => /^schemas\/[^/]+\.json$/.test(f))).toBe(true);
    expect(Object.keys(manifest.inputs).every((f) => /^(studies\/|pipeline\/config\/[^/]+\.json$|schemas\/[^/]+\.json$)/.test(f))).toBe(true);
    expect(manifest.inputs['pipeline/config/analysis.json']).toBe(sha256(join(ROOT, 'pipeline/config/analysis.json')));
    // Software and provenance.
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
    expect(manifest.version).toBe('0.1.0');
    expect(manifest.project.version).toBe(pkg.version);
    expect(Object.keys(manifest.packages)).toEqual(Object.keys(pkg.dependencies).sort());
    expect(manifest.packages.vega).toBe(JSON.parse(readFileSync(join(ROOT, 'node_modules/vega/package.json'), 'utf8')).version);
    expect(manifest.node).toBe(process.version);
    if (manifest.git.repository) expect(manifest.git.commit).toMatch(/^[0-9a-f]{40}$/);
    // Sorted keys, no timestamps.
    const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
    expect(Object.keys(JSON.parse(text))).toEqual(Object.keys(JSON.parse(text)).sort());
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    // Index, latest, changelog.
    expect(JSON.parse(readFileSync(join(reports, 'latest.json'), 'utf8')).version).toBe('0.1.0');
    expect(readFileSync(join(reports, 'index.md'), 'utf8')).toContain('Latest: **0.1.0**');
    expect(readFileSync(join(reports, 'CHANGELOG.md'), 'utf8')).toMatch(/^# Changelog\n[\s\S]*## 0\.1\.0\n\n- First published version: reproduced 1 of 4 tasks predictable \(25\.0%, 95% interval 0\.0%–50\.0%\)/);
    // The report's relative links to the data still resolve inside the version folder.
    expect(readFileSync(join(dir, 'report', 'report.md'), 'utf8')).toContain('](../reproduction.json)');
  });

  it('refuses to overwrite a published version, touching nothing', () => {
    const reports = makeTempDir('reports-');
    publish({ version: '1.2.3', outputsDir: outputs, reportsDir: reports });
    const snapshot = new Map(allFiles(reports).map((f) => [f, `${sha256(join(reports, f))} ${statSync(join(reports, f)).mtimeMs}`]));
    expect(() => publish({ version: '1.2.3', outputsDir: outputs, reportsDir: reports })).toThrow(/v1\.2\.3 already exists/);
    expect(() => publish({ version: '1.2.3', outputsDir: outputs, reportsDir: reports })).toThrow(UserError);
    expect(() => publish({ version: '1.2.2', outputsDir: outputs, reportsDir: reports })).toThrow(/not newer than the latest published version 1\.2\.3/);
    const after = new Map(allFiles(reports).map((f) => [f, `${sha256(join(reports, f))} ${statSync(join(reports, f)).mtimeMs}`]));
    expect(after).toEqual(snapshot);
    expect(readdirSync(reports).filter((n) => n.startsWith('.tmp'))).toEqual([]);
  });

  it('rejects a version that is not x.y.z, and outputs without a reproduction or a report', () => {
    const reports = makeTempDir('reports-');
    for (const bad of ['', '1.0', 'v1.0.0', '1.0.0-rc1', '01.0.0', '1.0.0 ']) expect(() => publish({ version: bad, outputsDir: outputs, reportsDir: reports }), bad).toThrow(UserError);
    const empty = makeTempDir('empty-outputs-');
    expect(() => publish({ version: '0.1.0', outputsDir: empty, reportsDir: reports })).toThrow(/reproduction\.json not found: run make reproduce first/);
    const unrendered = makeTempDir('unrendered-');
    writeSyntheticOutputs(unrendered);
    expect(() => publish({ version: '0.1.0', outputsDir: unrendered, reportsDir: reports })).toThrow(/report\.html not found: run make reproduce first/);
    expect(readdirSync(reports)).toEqual([]);
  });

  it('publishing the same tree twice gives byte-identical files apart from the version label', () => {
    const [a, b] = [makeTempDir('reports-a-'), makeTempDir('reports-b-')];
    publish({ version: '7.7.7', outputsDir: outputs, reportsDir: a });
    publish({ version: '8.8.8', outputsDir: outputs, reportsDir: b });
    const filesA = allFiles(a);
    expect(filesA.map((f) => f.replace('v7.7.7', 'vX'))).toEqual(allFiles(b).map((f) => f.replace('v8.8.8', 'vX')));
    for (const file of filesA) {
      const other = file.replace('v7.7.7', 'v8.8.8');
      const left = readFileSync(join(a, file));
      const right = readFileSync(join(b, other));
      if (/\.(png)$/.test(file)) expect(left.equals(right), file).toBe(true);
      else expect(left.toString('utf8').replaceAll('7.7.7', 'X'), file).toBe(right.toString('utf8').replaceAll('8.8.8', 'X'));
    }
  });

  it('the changelog of a later version names the tasks that changed, how the headline moved and which inputs changed', async () => {
    const reports = makeTempDir('reports-');
    publish({ version: '0.1.0', outputsDir: outputs, reportsDir: reports });
    const changed = await outputsWithReport({ firstTaskBehaviour: 'noisy', ciHigh: 0.25 });
    publish({ version: '0.2.0', outputsDir: changed, reportsDir: reports });
    const changelog = readFileSync(join(reports, 'CHANGELOG.md'), 'utf8');
    expect(changelog.indexOf('## 0.2.0')).toBeLessThan(changelog.indexOf('## 0.1.0'));
    expect(changelog.match(/^# Changelog$/gm)).toHaveLength(1);
    const entry = changelog.slice(changelog.indexOf('## 0.2.0'), changelog.indexOf('## 0.1.0'));
    expect(entry).toContain('Compared with 0.1.0:');
    expect(entry).toContain('- Headline: reproduced 0 of 4 tasks predictable (0.0%, 95% interval 0.0%–25.0%)');
    expect(entry).toContain('was 1 of 4 tasks predictable (25.0%, 95% interval 0.0%–50.0%)');
    expect(entry).toContain('1 task changed reproduced behaviour:\n  - Alpha QA (alpha): predictable → noisy');
    expect(entry).toMatch(/No input changed|Inputs changed/);
    const index = readFileSync(join(reports, 'index.md'), 'utf8');
    expect(index).toContain('Latest: **0.2.0**');
    expect(index.indexOf('| 0.2.0 (latest)')).toBeLessThan(index.indexOf('| 0.1.0 |'));
    expect(JSON.parse(readFileSync(join(reports, 'latest.json'), 'utf8'))).toEqual({
      directory: 'v0.2.0',
      html: 'v0.2.0/report/report.html',
      manifest: 'v0.2.0/manifest.json',
      report: 'v0.2.0/report/report.md',
      version: '0.2.0',
    });
    // The first version is untouched by the second.
    expect(existsSync(join(reports, 'v0.1.0', 'manifest.json'))).toBe(true);
  });
});

describe('publish outside a git repository', () => {
  it('says so in the manifest, and the changelog lists the inputs whose hashes changed', () => {
    const root = makeTempDir('fake-root-');
    const write = (path: string, text: string): void => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('package.json', JSON.stringify({ name: 'fake', version: '9.9.9', dependencies: { vega: '1.0.0' } }));
    write('studies/s1/study.json', '{"id":"s1"}');
    write('studies/s1/observations.csv', 'model\n');
    write('pipeline/config/analysis.json', '{}');
    write('pipeline/config/notes.txt', 'not an input');
    write('schemas/study.schema.json', '{}');
    const reports = makeTempDir('reports-');
    const first = publish({ version: '0.1.0', outputsDir: outputs, reportsDir: reports, root });
    expect(first.manifest.git).toEqual({ repository: false, note: 'not a git repository' });
    expect(first.manifest.project).toEqual({ name: 'fake', version: '9.9.9' });
    expect(first.manifest.packages).toEqual({ vega: 'not installed' });
    expect(Object.keys(first.manifest.inputs)).toEqual(['pipeline/config/analysis.json', 'schemas/study.schema.json', 'studies/s1/observations.csv', 'studies/s1/study.json']);
    write('studies/s1/study.json', '{"id":"s1","title":"changed"}');
    write('studies/s2/study.json', '{"id":"s2"}');
    rmSync(join(root, 'schemas/study.schema.json'));
    publish({ version: '0.1.1', outputsDir: outputs, reportsDir: reports, root });
    const changelog = readFileSync(join(reports, 'CHANGELOG.md'), 'utf8');
    const entry = changelog.slice(changelog.indexOf('## 0.1.1'), changelog.indexOf('## 0.1.0'));
    expect(entry).toContain('- Headline unchanged: reproduced 1 of 4 tasks predictable');
    expect(entry).toContain('- No task changed reproduced behaviour.');
    expect(entry).toContain('- Inputs changed: `studies/s1/study.json`.');
    expect(entry).toContain('- Inputs added: `studies/s2/study.json`.');
    expect(entry).toContain('- Inputs removed: `schemas/study.schema.json`.');
    expect(readFileSync(join(reports, 'index.md'), 'utf8')).toContain('| 0.1.1 (latest) | 1 of 4 (25.0%) | 0.0%–50.0% | 1 of 4 (claims2025) | not a git repository |');
  });
});

describe('publish (command line)', () => {
  it('prints Error: without a stack for a bad version or a repeated one, and exits 1', async () => {
    const reports = makeTempDir('reports-cli-');
    publish({ version: '0.3.0', outputsDir: outputs, reportsDir: reports });
    const [bad, again] = await Promise.all([
      runCli(['publish', '--version', '1.0', '--out', outputs, '--reports', reports]),
      runCli(['publish', '--version', '0.3.0', '--out', outputs, '--reports', reports]),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: invalid version "1\.0"/);
    expect(bad.stderr).not.toMatch(STACK_LINE);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^Error: .*v0\.3\.0 already exists/);
    expect(again.stderr).not.toMatch(STACK_LINE);
  });
});
