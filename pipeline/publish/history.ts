/**
 * The files that describe all published versions: reports/CHANGELOG.md (one entry per version, newest
 * first, saying what changed since the previous one), reports/index.md and reports/latest.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeMarkdown } from '../report/escape.ts';
import { percentOf, reproducedInterval } from '../report/format.ts';
import type { Reproduction } from '../report/reproduction.ts';
import { formatSortedJson } from '../util/files.ts';
import type { Manifest } from './manifest.ts';
import { versionDirName } from './versions.ts';

export const CHANGELOG_TITLE = '# Changelog';
const CHANGELOG_INTRO = 'What changed in each published version of the report, newest first. Written by `make publish`; do not edit by hand.';

/** A published (or about to be published) version: its label, manifest and reproduction.json. */
export interface VersionRecord {
  version: string;
  manifest: Manifest;
  reproduction?: Reproduction;
}

export function readVersion(reportsDir: string, version: string): VersionRecord {
  const dir = join(reportsDir, versionDirName(version));
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const reproductionPath = join(dir, 'reproduction.json');
  const reproduction = existsSync(reproductionPath) ? (JSON.parse(readFileSync(reproductionPath, 'utf8')) as Reproduction) : undefined;
  return { version, manifest, reproduction };
}

export function headlineText(doc: Reproduction | undefined): string {
  if (!doc) return 'no reproduction.json';
  // A registry without published claims has per-study entries only, no headline.
  if (!doc.reproduced) return 'no headline study (no published claims)';
  const r = doc.reproduced;
  return `${r.predictable} of ${r.total} tasks predictable (${percentOf(r.predictable, r.total)}, 95% interval ${reproducedInterval(r)})`;
}

/** The changelog entry of `current`, compared with `previous` (the newest version before it), if any. */
export function changelogEntry(current: VersionRecord, previous: VersionRecord | undefined): string {
  const lines = [`## ${current.version}`, ''];
  if (current.manifest.note) lines.push(`Why: ${escapeMarkdown(current.manifest.note)}`, '');
  // A registry without published claims writes per-study entries only: no headline to describe.
  const now = current.reproduction?.reproduced ? current.reproduction : undefined;
  const study = now ? ` for ${escapeMarkdown(now.study)} against ${escapeMarkdown(now.claims)} (x = ${escapeMarkdown(now.x)})` : '';
  if (!previous) {
    lines.push(`- First published version: reproduced ${headlineText(now)}${study}.`);
    if (now) lines.push(`- Published figure it is compared with: ${now.published.predictable} of ${now.published.total} (${percentOf(now.published.predictable, now.published.total)}).`);
    lines.push(`- Inputs: ${Object.keys(current.manifest.inputs).length} files hashed in manifest.json.`);
    return `${lines.join('\n')}\n`;
  }
  const before = previous.reproduction;
  lines.push(`Compared with ${previous.version}:`, '');
  const headlineNow = headlineText(now);
  const headlineBefore = headlineText(before);
  lines.push(headlineNow === headlineBefore ? `- Headline unchanged: reproduced ${headlineNow}.` : `- Headline: reproduced ${headlineNow}${study}; was ${headlineBefore}.`);
  if (now && before && (now.published.predictable !== before.published.predictable || now.published.total !== before.published.total)) {
    lines.push(`- Published figure: ${now.published.predictable} of ${now.published.total}; was ${before.published.predictable} of ${before.published.total}.`);
  }
  lines.push(behaviourChanges(now, before));
  lines.push(...inputChanges(current.manifest.inputs, previous.manifest.inputs));
  return `${lines.join('\n')}\n`;
}

function behaviourChanges(now: Reproduction | undefined, before: Reproduction | undefined): string {
  if (!now || !before) return '- Task behaviours: not compared (a version lacks reproduction.json).';
  const old = new Map(before.tasks.map((t) => [t.task, t]));
  const current = new Map(now.tasks.map((t) => [t.task, t]));
  const changed = now.tasks.filter((t) => old.has(t.task) && old.get(t.task)!.reproduced !== t.reproduced);
  const added = now.tasks.filter((t) => !old.has(t.task));
  const removed = before.tasks.filter((t) => !current.has(t.task));
  const parts: string[] = [];
  if (changed.length === 0) parts.push('- No task changed reproduced behaviour.');
  else {
    parts.push(`- ${changed.length} task${changed.length === 1 ? '' : 's'} changed reproduced behaviour:`);
    for (const t of changed) parts.push(`  - ${escapeMarkdown(t.name)} (${escapeMarkdown(t.task)}): ${escapeMarkdown(old.get(t.task)!.reproduced)} → ${escapeMarkdown(t.reproduced)}`);
  }
  if (added.length > 0) parts.push(`- Tasks added: ${added.map((t) => `${escapeMarkdown(t.name)} (${escapeMarkdown(t.reproduced)})`).join(', ')}.`);
  if (removed.length > 0) parts.push(`- Tasks removed: ${removed.map((t) => escapeMarkdown(t.name)).join(', ')}.`);
  return parts.join('\n');
}

function inputChanges(now: Record<string, string>, before: Record<string, string>): string[] {
  const changed = Object.keys(now).filter((f) => f in before && before[f] !== now[f]);
  const added = Object.keys(now).filter((f) => !(f in before));
  const removed = Object.keys(before).filter((f) => !(f in now));
  if (changed.length + added.length + removed.length === 0) return ['- No input changed (same hashes of studies/, pipeline/config/ and schemas/).'];
  const list = (files: string[]): string => files.sort().map((f) => `\`${f.replace(/`/g, '')}\``).join(', ');
  const lines: string[] = [];
  if (changed.length > 0) lines.push(`- Inputs changed: ${list(changed)}.`);
  if (added.length > 0) lines.push(`- Inputs added: ${list(added)}.`);
  if (removed.length > 0) lines.push(`- Inputs removed: ${list(removed)}.`);
  return lines;
}

/** The changelog with `entry` placed first, after the title and introduction. */
export function prependChangelog(existing: string | undefined, entry: string): string {
  const header = `${CHANGELOG_TITLE}\n\n${CHANGELOG_INTRO}\n`;
  if (existing === undefined || existing.trim() === '') return `${header}\n${entry}`;
  const firstEntry = existing.search(/^## /m);
  if (firstEntry < 0) return `${existing.trimEnd()}\n\n${entry}`;
  return `${existing.slice(0, firstEntry)}${entry}\n${existing.slice(firstEntry)}`;
}

/** reports/latest.json: the newest version and where its files are. */
export function latestJson(version: string): string {
  const dir = versionDirName(version);
  return formatSortedJson({ version, directory: dir, report: `${dir}/report/report.md`, html: `${dir}/report/report.html`, manifest: `${dir}/manifest.json` });
}
