/**
 * `make diff [BASE=x.y.z]`: what the outputs of this tree change against a published version (default
 * the latest), as Markdown fit for a pull-request comment or a CI job summary: the headline of every
 * study before → after with its interval, studies added or removed, every task whose label changed
 * (with the rule that now gives it) and the input files that changed.
 *
 * Everything is read generically from the files that exist: headlines from any object of
 * reproduction.json that names a `study` and a `reproduced` count (the top level, or per-study
 * entries), task labels from tasks.csv (its `study` column when there is one) or reproduction.json,
 * inputs from the run record (outputs/) and the manifest (a published version).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { UserError } from '../util/errors.ts';
import { escapeMarkdown, markdownCode } from '../report/escape.ts';
import { percent, percentInterval } from '../report/format.ts';
import { OUTPUTS_DIR, REPORTS_DIR, ROOT, shownPath } from '../util/paths.ts';
import { checkGeneration, compareHashes, readRunRecord } from '../util/run-record.ts';
import { parseVersion, publishedVersions, versionDirName } from './versions.ts';

export interface DiffOptions {
  /** x.y.z or vX.Y.Z of a published version, or a folder (a published version or another outputs/); default the latest. */
  base?: string;
  outputsDir?: string;
  reportsDir?: string;
  root?: string;
}

export interface Headline {
  study: string;
  x?: string;
  claims?: string;
  predictable: number;
  total: number;
  fraction: number;
  ci95?: number[];
}

export interface TaskLabel {
  study: string;
  task: string;
  name: string;
  reproduced: string;
  rule?: string;
}

/** One side of the comparison, read from a folder. */
export interface Side {
  label: string;
  headlines: Map<string, Headline>;
  tasks: Map<string, TaskLabel>;
  /** Input files by path with the registry folder written as studies/. */
  inputs: Record<string, string>;
  studies: Set<string>;
  rules: string[];
}

export interface DiffResult {
  markdown: string;
  /** Studies whose published headline (count or total) changed, or that lost their headline. */
  headlineChanges: string[];
}

function readJson(path: string): any {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every object of a reproduction document that carries a study's headline, keyed by study (and x when a study has several). */
export function findHeadlines(document: unknown): Headline[] {
  const found: Headline[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 4 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item) => visit(item, depth + 1));
      return;
    }
    const object = value as Record<string, any>;
    // The headline study's documented top-level fields, or an entry of `studies` (its share over the fitted tasks).
    const r = object.reproduced ?? (Number.isFinite(object.predictable) && Number.isFinite(object.fitted) ? { predictable: object.predictable, total: object.fitted, fraction: object.fraction, ci95: object.ci95 } : undefined);
    const seen = found.some((h) => h.study === object.study);
    if (typeof object.study === 'string' && !seen && r && typeof r === 'object' && Number.isFinite(r.predictable) && Number.isFinite(r.total)) {
      found.push({
        study: object.study,
        x: typeof object.x === 'string' ? object.x : typeof object.x?.canonical === 'string' ? object.x.canonical : undefined,
        claims: typeof object.claims === 'string' ? object.claims : undefined,
        predictable: r.predictable,
        total: r.total,
        fraction: Number.isFinite(r.fraction) ? r.fraction : r.total > 0 ? r.predictable / r.total : 0,
        ci95: Array.isArray(r.ci95) && r.ci95.length === 2 ? r.ci95 : undefined,
      });
    }
    for (const [key, child] of Object.entries(object)) if (key !== 'tasks' && key !== 'reproduced' && key !== 'published') visit(child, depth + 1);
  };
  visit(document, 0);
  return found;
}

function tasksOf(dir: string, document: any): TaskLabel[] {
  const defaultStudy = typeof document?.study === 'string' ? document.study : '';
  const rules: string[] = Array.isArray(document?.rules) ? document.rules : [];
  const rule = (value: unknown): string | undefined => {
    const n = Number(value);
    if (value === undefined || value === '' || !Number.isInteger(n)) return undefined;
    // The rules are the project's own sentences, already numbered ("3. **inverse** when ...").
    const text = rules[n - 1];
    return text ? (text.startsWith(`${n}.`) ? text : `${n}. ${text}`) : `rule ${n}`;
  };
  const csvPath = join(dir, 'tasks.csv');
  if (existsSync(csvPath)) {
    const rows = Papa.parse<Record<string, string>>(readFileSync(csvPath, 'utf8'), { header: true, skipEmptyLines: true }).data;
    // tasks.csv names the behaviour `label` (across studies) or, in older versions, `reproduced`.
    if (rows.length > 0 && 'task' in rows[0]! && ('reproduced' in rows[0]! || 'label' in rows[0]!)) {
      return rows.map((row) => ({ study: row.study || defaultStudy, task: row.task ?? '', name: row.name || row.task || '', reproduced: row.reproduced ?? row.label ?? '', rule: rule(row.rule) }));
    }
  }
  const tasks: any[] = Array.isArray(document?.tasks) ? document.tasks : [];
  return tasks.map((t) => ({ study: t.study ?? defaultStudy, task: String(t.task), name: String(t.name ?? t.task), reproduced: String(t.reproduced), rule: rule(t.rule) }));
}

/** Input paths with the registry folder written as studies/ and the configuration file as pipeline/config/analysis.json. */
function normalizeInputs(inputs: Record<string, string>, registry = 'studies', configFile = 'pipeline/config/analysis.json'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, hash] of Object.entries(inputs)) {
    let key = path;
    if (path === configFile) key = 'pipeline/config/analysis.json';
    else if (path.startsWith(`${registry}/`)) key = `studies/${path.slice(registry.length + 1)}`;
    out[key] = hash;
  }
  return out;
}

export function readSide(dir: string, label: string): Side {
  const document = readJson(join(dir, 'reproduction.json'));
  const record = readRunRecord(dir);
  const manifest = readJson(join(dir, 'manifest.json'));
  const inputs = record ? normalizeInputs(record.inputs, record.registry, record.config.file) : normalizeInputs(manifest?.inputs ?? {});
  const headlines = new Map<string, Headline>();
  for (const h of findHeadlines(document)) headlines.set(headlines.has(h.study) ? `${h.study} (x = ${h.x ?? '?'})` : h.study, h);
  const tasks = new Map(tasksOf(dir, document).map((t) => [`${t.study}\u0000${t.task}`, t]));
  const studies = new Set<string>();
  for (const path of Object.keys(inputs)) {
    const match = /^studies\/([^/]+)\/study\.json$/.exec(path);
    if (match) studies.add(match[1]!);
  }
  return { label, headlines, tasks, inputs, studies, rules: Array.isArray(document?.rules) ? document.rules : [] };
}

/** The folder and label of the base: a published version (default the latest) or any folder. */
function resolveBase(base: string | undefined, reportsDir: string): { dir: string; label: string } {
  const versions = publishedVersions(reportsDir);
  if (base === undefined || base === '') {
    const latest = versions[0];
    if (!latest) throw new UserError(`no published version under ${shownPath(reportsDir)} to compare with: give BASE=DIR (a folder of outputs)`);
    return { dir: join(reportsDir, versionDirName(latest)), label: `published v${latest}` };
  }
  const version = base.replace(/^v/, '');
  if (parseVersion(version)) {
    if (!versions.includes(version)) throw new UserError(`version ${version} is not published under ${shownPath(reportsDir)}: published are ${versions.join(', ') || 'none'}`);
    return { dir: join(reportsDir, versionDirName(version)), label: `published v${version}` };
  }
  if (existsSync(base) && statSync(base).isDirectory()) return { dir: base, label: shownPath(base) };
  throw new UserError(`BASE ${JSON.stringify(base)} is neither a published version (x.y.z) nor a folder`);
}

const headlineText = (h: Headline | undefined): string =>
  h ? `${h.predictable} of ${h.total} (${percent(h.fraction)}${h.ci95 ? `, 95% interval ${percentInterval(h.ci95)}` : ''})` : '–';

export function diffOutputs(options: DiffOptions = {}): DiffResult {
  const outputsDir = options.outputsDir ?? OUTPUTS_DIR;
  const reportsDir = options.reportsDir ?? REPORTS_DIR;
  const root = options.root ?? ROOT;
  if (!existsSync(join(outputsDir, 'reproduction.json'))) throw new UserError(`${shownPath(join(outputsDir, 'reproduction.json'))} not found: run make reproduce first`);
  const baseFolder = resolveBase(options.base, reportsDir);
  const before = readSide(baseFolder.dir, baseFolder.label);
  const after = readSide(outputsDir, 'this tree');
  const lines: string[] = [`## What this change does to the results`, ''];
  lines.push(`Compared with ${escapeMarkdown(before.label)}; \`make diff\` wrote this from ${markdownCode(shownPath(outputsDir))}.`, '');
  const check = checkGeneration(outputsDir, root);
  if (!check.ok) lines.push(`> **Warning:** ${escapeMarkdown(check.problem)}`, '');

  // Headlines.
  const headlineChanges: string[] = [];
  const keys = [...new Set([...before.headlines.keys(), ...after.headlines.keys()])].sort();
  lines.push('### Headline: tasks that scale predictably', '');
  if (keys.length === 0) lines.push('No study has a headline in either version.', '');
  else {
    lines.push(`| study | ${escapeMarkdown(before.label)} | this tree | change |`, '| --- | --- | --- | --- |');
    for (const key of keys) {
      const [b, a] = [before.headlines.get(key), after.headlines.get(key)];
      const changed = !a || !b || a.predictable !== b.predictable || a.total !== b.total;
      if (b && changed) headlineChanges.push(key);
      const change = !b ? 'new' : !a ? 'removed' : changed ? `${a.predictable - b.predictable >= 0 ? '+' : ''}${a.predictable - b.predictable} predictable${a.total !== b.total ? `, total ${b.total} → ${a.total}` : ''}` : 'unchanged';
      const x = (a ?? b)!.x;
      lines.push(`| ${escapeMarkdown(key)}${x && !key.includes('(x =') ? ` (x = ${escapeMarkdown(x)})` : ''} | ${headlineText(b)} | ${headlineText(a)} | ${change} |`);
    }
    lines.push('');
  }

  // Studies.
  const added = [...after.studies].filter((s) => !before.studies.has(s)).sort();
  const removed = [...before.studies].filter((s) => !after.studies.has(s)).sort();
  lines.push('### Studies', '');
  lines.push(`- Added: ${added.length ? added.map(markdownCode).join(', ') : 'none'}.`);
  lines.push(`- Removed: ${removed.length ? removed.map(markdownCode).join(', ') : 'none'}.`, '');

  // Task labels.
  const changedTasks = [...after.tasks].filter(([key, t]) => before.tasks.has(key) && before.tasks.get(key)!.reproduced !== t.reproduced).map(([key, t]) => ({ now: t, was: before.tasks.get(key)! }));
  const newTasks = [...after.tasks.keys()].filter((key) => !before.tasks.has(key)).length;
  const goneTasks = [...before.tasks.keys()].filter((key) => !after.tasks.has(key)).length;
  lines.push(`### Tasks whose label changed (${changedTasks.length})`, '');
  if (changedTasks.length === 0) lines.push('No task present in both changed its reproduced behaviour.');
  else {
    lines.push('| study | task | before | after | rule that gives it now |', '| --- | --- | --- | --- | --- |');
    for (const { now, was } of changedTasks.sort((x, y) => (x.now.study + x.now.task < y.now.study + y.now.task ? -1 : 1))) {
      lines.push(`| ${escapeMarkdown(now.study)} | ${escapeMarkdown(now.name)} (${markdownCode(now.task)}) | ${escapeMarkdown(was.reproduced)} | ${escapeMarkdown(now.reproduced)} | ${now.rule ? tableCell(now.rule) : '–'} |`);
    }
  }
  if (newTasks + goneTasks > 0) lines.push('', `Tasks added: ${newTasks}; tasks removed: ${goneTasks}.`);
  lines.push('');

  // Inputs.
  const inputs = compareHashes(after.inputs, before.inputs);
  lines.push('### Input files changed', '');
  if (inputs.changed.length + inputs.added.length + inputs.removed.length === 0) lines.push('None (same sha256 of every study, configuration and schema file).');
  for (const [word, files] of [['changed', inputs.changed], ['added', inputs.added], ['removed', inputs.removed]] as const) {
    if (files.length > 0) lines.push(`- ${word}: ${files.map(markdownCode).join(', ')}`);
  }
  lines.push('');
  return { markdown: `${lines.join('\n').trimEnd()}\n`, headlineChanges };
}

/** Project-written Markdown (a rule) kept as Markdown, made safe for one table cell. */
function tableCell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
}
