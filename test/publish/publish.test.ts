/**
 * `make publish`: an immutable version folder with a manifest whose hashes match its files, never an
 * overwrite, a changelog that says what changed, and the same bytes for the same tree. Outputs are
 * synthetic, with a run record made against a throw-away git root (test/helpers/fake-root.ts).
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../pipeline/util/errors.ts';
import type { Manifest } from '../../pipeline/publish/manifest.ts';
import { publish } from '../../pipeline/publish/publish.ts';
import { renderReport } from '../../pipeline/report/render-report.ts';
import { formatJson } from '../../pipeline/util/files.ts';
import { ROOT } from '../../pipeline/util/paths.ts';
import { sha256Text } from '../../pipeline/util/provenance.ts';
import { writeRunRecord } from '../../pipeline/util/run-record.ts';
import { runCli, STACK_LINE } from '../helpers/cli.ts';
import { git, makeFakeRoot } from '../helpers/fake-root.ts';
import { removeTempDirs as removeRegistryDirs } from '../helpers/registry.ts';
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

/** A synthetic outputs/ folder with its report rendered and a run record of `root`'s inputs. */
async function outputsWithReport(options: FixtureOptions = {}, recordRoot = root): Promise<string> {
  const dir = makeTempDir('publish-outputs-');
  const template = Object.keys(options).length === 0 ? templates.get(recordRoot) : undefined;
  if (template) {
    // Same root, same fixture: a copy of the rendered outputs, with a record of the inputs as they are now.
    cpSync(template, dir, { recursive: true });
  } else {
    writeSyntheticOutputs(dir, options);
    await renderReport(dir, () => {}, CORE_SECTIONS);
    if (Object.keys(options).length === 0) {
      const copy = makeTempDir('publish-template-');
      cpSync(dir, copy, { recursive: true });
      templates.set(recordRoot, copy);
    }
  }
  const configPath = join(recordRoot, 'pipeline', 'config', 'analysis.json');
  const configSha256 = sha256Text(formatJson(JSON.parse(readFileSync(configPath, 'utf8'))));
  await writeRunRecord(dir, { registryDir: join(recordRoot, 'studies'), configPath, configSha256, root: recordRoot });
  return dir;
}

const templates = new Map<string, string>();
let root: string;
let outputs: string;
beforeAll(async () => {
  root = makeFakeRoot();
  outputs = await outputsWithReport();
}, 120_000);
afterAll(() => {
  removeTempDirs();
  removeRegistryDirs();
});

describe('publish', () => {
  it('writes the report, figures, data and a manifest whose hashes match every file', async () => {
    const reports = makeTempDir('reports-');
    const result = await publish({ version: '0.1.0', outputsDir: outputs, reportsDir: reports, root });
    const dir = join(reports, 'v0.1.0');
    expect(result.directory).toBe(dir);
    const files = allFiles(dir);
    expect(files).toEqual(result.files);
    for (const name of ['manifest.json', 'run-record.json', 'reproduction.json', 'points.csv', 'tasks.csv', 'config/analysis.json', 'report/report.html', 'report/report.md', 'report/figures/task-alpha.svg', 'report/figures/task-alpha.png', 'report/tables/task-fits.csv']) {
      expect(files).toContain(name);
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(Object.keys(manifest.outputs)).toEqual(files.filter((f) => f !== 'manifest.json'));
    for (const [name, hash] of Object.entries(manifest.outputs)) expect(sha256(join(dir, name)), name).toBe(hash);
    // Inputs, from the run record: every file of studies/, the configuration and calibration, schemas/*.json.
    expect(Object.keys(manifest.inputs)).toContain('studies/synthetic-models/observations.csv');
    expect(Object.keys(manifest.inputs)).toContain('pipeline/config/analysis.json');
    expect(Object.keys(manifest.inputs).some((f) => /^schemas\/[^/]+\.json$/.test(f))).toBe(true);
    expect(Object.keys(manifest.inputs).every((f) => /^(studies\/|pipeline\/config\/[^/]+\.json$|schemas\/[^/]+\.json$)/.test(f))).toBe(true);
    expect(manifest.inputs['pipeline/config/analysis.json']).toBe(sha256(join(root, 'pipeline/config/analysis.json')));
    expect(manifest.inputs).toEqual(JSON.parse(readFileSync(join(dir, 'run-record.json'), 'utf8')).inputs);
    // Software and provenance.
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
    expect(manifest.version).toBe('0.1.0');
    expect(manifest.project.version).toBe(pkg.version);
    expect(Object.keys(manifest.packages)).toEqual(Object.keys(pkg.dependencies).sort());
    expect(manifest.packages.vega).toBe(JSON.parse(readFileSync(join(ROOT, 'node_modules/vega/package.json'), 'utf8')).version);
    expect(manifest.node).toBe(process.version);
    expect(manifest.git).toEqual({ repository: true, commit: git(root, 'rev-parse', 'HEAD').trim(), dirty: false });
    // Sorted keys, no timestamps.
    const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
    expect(Object.keys(JSON.parse(text))).toEqual(Object.keys(JSON.parse(text)).sort());
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    // Index, latest, changelog.
    expect(JSON.parse(readFileSync(join(reports, 'latest.json'), 'utf8')).version).toBe('0.1.0');
    expect(readFileSync(join(reports, 'index.md'), 'utf8')).toContain('| [0.1.0](versions/v0.1.0.md) (latest) |');
    expect(readFileSync(join(reports, 'index.html'), 'utf8')).toContain('<a href="versions/v0.1.0.html">0.1.0</a> (latest)');
    expect(readFileSync(join(reports, 'CHANGELOG.md'), 'utf8')).toMatch(/^# Changelog\n[\s\S]*## 0\.1\.0\n\n- First published version: reproduced 1 of 4 tasks predictable \(25\.0%, 95% interval 0\.0%–50\.0%\)/);
    // The report's relative links to the data still resolve inside the version folder.
    expect(readFileSync(join(dir, 'report', 'report.md'), 'utf8')).toContain('](../reproduction.json)');
  });

  it('refuses to overwrite a published version, touching nothing, and suggests the next free versions', async () => {
    const reports = makeTempDir('reports-');
    await publish({ version: '1.2.3', outputsDir: outputs, reportsDir: reports, root });
    const snapshot = new Map(allFiles(reports).map((f) => [f, `${sha256(join(reports, f))} ${statSync(join(reports, f)).mtimeMs}`]));
    await expect(publish({ version: '1.2.3', outputsDir: outputs, reportsDir: reports, root })).rejects.toThrow(/v1\.2\.3 already exists/);
    await expect(publish({ version: '1.2.3', outputsDir: outputs, reportsDir: reports, root })).rejects.toThrow(UserError);
    await expect(publish({ version: '1.2.2', outputsDir: outputs, reportsDir: reports, root })).rejects.toThrow(/not newer than the latest published version 1\.2\.3/);
    await expect(publish({ version: '1.2.2', outputsDir: outputs, reportsDir: reports, root })).rejects.toThrow(/e\.g\. VERSION=1\.2\.4 \(patch\), 1\.3\.0 \(minor\) or 2\.0\.0 \(major\) after the latest 1\.2\.3/);
    await expect(publish({ version: '', outputsDir: outputs, reportsDir: reports, root })).rejects.toThrow(/^missing version: run make publish VERSION=x\.y\.z, e\.g\. VERSION=1\.2\.4 \(patch\)/);
    const after = new Map(allFiles(reports).map((f) => [f, `${sha256(join(reports, f))} ${statSync(join(reports, f)).mtimeMs}`]));
    expect(after).toEqual(snapshot);
    expect(readdirSync(reports).filter((n) => n.startsWith('.tmp'))).toEqual([]);
  });

  it('rejects a version that is not x.y.z, and outputs without a reproduction or a report', async () => {
    const reports = makeTempDir('reports-');
    for (const bad of ['', '1.0', 'v1.0.0', '1.0.0-rc1', '01.0.0', '1.0.0 ']) await expect(publish({ version: bad, outputsDir: outputs, reportsDir: reports, root }), bad).rejects.toThrow(UserError);
    const empty = makeTempDir('empty-outputs-');
    await expect(publish({ version: '0.1.0', outputsDir: empty, reportsDir: reports, root })).rejects.toThrow(/reproduction\.json not found: run make reproduce first/);
    const unrendered = makeTempDir('unrendered-');
    writeSyntheticOutputs(unrendered);
    await expect(publish({ version: '0.1.0', outputsDir: unrendered, reportsDir: reports, root })).rejects.toThrow(/report\.html not found: run make reproduce first/);
    expect(readdirSync(reports)).toEqual([]);
  });

  it('publishing the same tree twice gives byte-identical files apart from the version label', async () => {
    const [a, b] = [makeTempDir('reports-a-'), makeTempDir('reports-b-')];
    await publish({ version: '7.7.7', outputsDir: outputs, reportsDir: a, root });
    await publish({ version: '8.8.8', outputsDir: outputs, reportsDir: b, root });
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
    await publish({ version: '0.1.0', outputsDir: outputs, reportsDir: reports, root });
    const changed = await outputsWithReport({ firstTaskBehaviour: 'noisy', ciHigh: 0.25 });
    await publish({ version: '0.2.0', outputsDir: changed, reportsDir: reports, root, note: 'Alpha QA is\n now *noisy*  after a rule change' });
    const changelog = readFileSync(join(reports, 'CHANGELOG.md'), 'utf8');
    // The publisher's reason, on one line and escaped, in the entry and the manifest; none for 0.1.0.
    expect(changelog).toContain('## 0.2.0\n\nWhy: Alpha QA is now \\*noisy\\* after a rule change\n\nCompared with 0.1.0:');
    expect(JSON.parse(readFileSync(join(reports, 'v0.2.0', 'manifest.json'), 'utf8')).note).toBe('Alpha QA is now *noisy* after a rule change');
    expect(JSON.parse(readFileSync(join(reports, 'v0.1.0', 'manifest.json'), 'utf8'))).not.toHaveProperty('note');
    expect(changelog.indexOf('## 0.2.0')).toBeLessThan(changelog.indexOf('## 0.1.0'));
    expect(changelog.match(/^# Changelog$/gm)).toHaveLength(1);
    const entry = changelog.slice(changelog.indexOf('## 0.2.0'), changelog.indexOf('## 0.1.0'));
    expect(entry).toContain('Compared with 0.1.0:');
    expect(entry).toContain('- Headline: reproduced 0 of 4 tasks predictable (0.0%, 95% interval 0.0%–25.0%)');
    expect(entry).toContain('was 1 of 4 tasks predictable (25.0%, 95% interval 0.0%–50.0%)');
    expect(entry).toContain('1 task changed reproduced behaviour:\n  - Alpha QA (alpha): predictable → noisy');
    expect(entry).toMatch(/No input changed|Inputs changed/);
    const index = readFileSync(join(reports, 'index.md'), 'utf8');
    expect(index.indexOf('| [0.2.0](versions/v0.2.0.md) (latest)')).toBeGreaterThan(0);
    expect(index.indexOf('| [0.2.0](versions/v0.2.0.md) (latest)')).toBeLessThan(index.indexOf('| [0.1.0](versions/v0.1.0.md) |'));
    // The new version's page links to the previous one and says what changed.
    const page = readFileSync(join(reports, 'versions', 'v0.2.0.html'), 'utf8');
    expect(page).toContain('previous: <a href="v0.1.0.html">0.1.0</a>');
    expect(page).toContain('What changed since 0.1.0');
    expect(page).toContain('Alpha QA (alpha): predictable → noisy');
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
  it('says so in the manifest, and the changelog lists the inputs whose hashes changed', async () => {
    const plain = makeFakeRoot({ withGit: false });
    const write = (path: string, text: string): void => {
      mkdirSync(dirname(join(plain, path)), { recursive: true });
      writeFileSync(join(plain, path), text);
    };
    const reports = makeTempDir('reports-');
    const first = await publish({ version: '0.1.0', outputsDir: await outputsWithReport({}, plain), reportsDir: reports, root: plain });
    expect(first.manifest.git).toEqual({ repository: false, note: 'not a git repository' });
    expect(first.manifest.project).toEqual({ name: 'downstream-scaling-audit', version: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version });
    expect(Object.keys(first.manifest.inputs)).toContain('studies/synthetic-models/study.json');
    write('studies/synthetic-models/study.json', readFileSync(join(plain, 'studies/synthetic-models/study.json'), 'utf8').replace('"title": "', '"title": "Changed '));
    write('studies/s2/study.json', '{"id":"s2"}');
    rmSync(join(plain, 'schemas/claims.schema.json'));
    // The old outputs no longer match the inputs; outputs made after the change do.
    await expect(publish({ version: '0.1.1', outputsDir: await outputsWithReport({}, root), reportsDir: reports, root: plain })).rejects.toThrow(/inputs changed since/);
    await publish({ version: '0.1.1', outputsDir: await outputsWithReport({}, plain), reportsDir: reports, root: plain });
    const changelog = readFileSync(join(reports, 'CHANGELOG.md'), 'utf8');
    const entry = changelog.slice(changelog.indexOf('## 0.1.1'), changelog.indexOf('## 0.1.0'));
    expect(entry).toContain('- Headline unchanged: reproduced 1 of 4 tasks predictable');
    expect(entry).toContain('- No task changed reproduced behaviour.');
    expect(entry).toContain('- Inputs changed: `studies/synthetic-models/study.json`.');
    expect(entry).toContain('- Inputs added: `studies/s2/study.json`.');
    expect(entry).toContain('- Inputs removed: `schemas/claims.schema.json`.');
    expect(readFileSync(join(reports, 'index.md'), 'utf8')).toContain('| [0.1.1](versions/v0.1.1.md) (latest) | date unknown | not a git repository | synth2024: 1 of 4 predictable (25.0%, 95% interval 0.0%–50.0%); published 1 of 4 (claims2025) |');
  });
});

describe('publish refuses anything but one complete generation made from the current, committed inputs', () => {
  /** A fresh committed root and recorded outputs of it. */
  async function setUp(): Promise<{ root: string; outputs: string; reports: string }> {
    const fresh = makeFakeRoot();
    return { root: fresh, outputs: await outputsWithReport({}, fresh), reports: makeTempDir('reports-') };
  }

  it('names the input that changed since the outputs were made, and says to run make reproduce', async () => {
    const { root: r, outputs: o, reports } = await setUp();
    const file = join(r, 'studies/synthetic-models/observations.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace('0.45', '0.46'));
    git(r, 'commit', '-qam', 'correct one observation');
    const attempt = publish({ version: '0.1.0', outputsDir: o, reportsDir: reports, root: r });
    await expect(attempt).rejects.toThrow(UserError);
    await expect(publish({ version: '0.1.0', outputsDir: o, reportsDir: reports, root: r })).rejects.toThrow(
      /^cannot publish: inputs changed since .+ was made: studies\/synthetic-models\/observations\.csv changed; run make reproduce$/,
    );
    expect(readdirSync(reports)).toEqual([]);
  });

  it('refuses a missing, changed or foreign file (a mixed generation), naming it', async () => {
    const { root: r, reports } = await setUp();
    const cases: [string, (dir: string) => void, RegExp][] = [
      ['missing', (dir) => rmSync(join(dir, 'report/tables/task-fits.csv')), /report\/tables\/task-fits\.csv is missing; run make reproduce/],
      ['changed', (dir) => writeFileSync(join(dir, 'tasks.csv'), 'task\nstale\n'), /tasks\.csv differs from what the run wrote/],
      ['foreign', (dir) => writeFileSync(join(dir, 'stale.csv'), 'x\n1\n'), /stale\.csv was not written by the run/],
      ['no record', (dir) => rmSync(join(dir, 'run-record.json')), /run-record\.json is missing or unreadable: these outputs were not made by make reproduce/],
    ];
    for (const [name, spoil, message] of cases) {
      const dir = await outputsWithReport({}, r);
      spoil(dir);
      await expect(publish({ version: '0.1.0', outputsDir: dir, reportsDir: reports, root: r }), name).rejects.toThrow(message);
    }
    expect(readdirSync(reports)).toEqual([]);
  });

  it('refuses a dirty tree, outputs made from a dirty tree, from an older commit with other code, another registry or configuration', async () => {
    const { root: r, outputs: o, reports } = await setUp();
    writeFileSync(join(r, 'notes.txt'), 'uncommitted\n');
    await expect(publish({ version: '0.1.0', outputsDir: o, reportsDir: reports, root: r })).rejects.toThrow(/the working tree has uncommitted changes \(see git status\): commit them, then run make reproduce/);
    const dirtyOutputs = await outputsWithReport({}, r);
    git(r, 'add', 'notes.txt');
    git(r, 'commit', '-qm', 'notes');
    await expect(publish({ version: '0.1.0', outputsDir: dirtyOutputs, reportsDir: reports, root: r })).rejects.toThrow(/was made at commit [0-9a-f]{12} with uncommitted changes/);
    // A commit that changes no code or input keeps older outputs publishable; one that changes code does not.
    const clean = await outputsWithReport({}, r);
    mkdirSync(join(r, 'pipeline', 'fit'), { recursive: true });
    writeFileSync(join(r, 'pipeline', 'fit', 'engine.ts'), 'export {};\n');
    git(r, 'add', '-A');
    git(r, 'commit', '-qm', 'code');
    await expect(publish({ version: '0.1.0', outputsDir: clean, reportsDir: reports, root: r })).rejects.toThrow(/was made at commit [0-9a-f]{12}; since then pipeline\/fit\/engine\.ts changed: run make reproduce/);
    // Another registry, another configuration.
    cpSync(join(r, 'studies'), join(r, 'other'), { recursive: true });
    const otherRegistry = makeTempDir('publish-outputs-');
    writeSyntheticOutputs(otherRegistry);
    await renderReport(otherRegistry, () => {}, CORE_SECTIONS);
    const configPath = join(r, 'pipeline', 'config', 'analysis.json');
    const committed = JSON.parse(readFileSync(configPath, 'utf8'));
    await writeRunRecord(otherRegistry, { registryDir: join(r, 'other'), configPath, configSha256: sha256Text(formatJson(committed)), root: r });
    await expect(publish({ version: '0.1.0', outputsDir: otherRegistry, reportsDir: reports, root: r })).rejects.toThrow(/was made from the registry other, not studies\/: run make reproduce/);
    const overridden = makeTempDir('publish-outputs-');
    writeSyntheticOutputs(overridden);
    await renderReport(overridden, () => {}, CORE_SECTIONS);
    await writeRunRecord(overridden, { registryDir: join(r, 'studies'), configPath, configSha256: sha256Text(formatJson({ ...committed, bootstrap: { replicates: 5, seed: 1 } })), root: r });
    await expect(publish({ version: '0.1.0', outputsDir: overridden, reportsDir: reports, root: r })).rejects.toThrow(/was made with another configuration \(pipeline\/config\/analysis\.json with command-line overrides\)/);
    expect(readdirSync(reports)).toEqual([]);
  });
});

describe('publish (command line)', () => {
  it('prints Error: without a stack for a bad version or a repeated one, and exits 1', async () => {
    const reports = makeTempDir('reports-cli-');
    await publish({ version: '0.3.0', outputsDir: outputs, reportsDir: reports, root });
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
