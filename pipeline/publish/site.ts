/**
 * The site of published versions: reports/index.html and reports/index.md list every version with
 * its date, commit, the headline of each study and links; reports/versions/<version>.html|.md is one
 * page per version that links to its report, to the previous version and says what changed since
 * (the changelog entry, generated from the two versions' files). Plain relative links and no script,
 * so the site works opened from the file system and from any static host. Published version folders
 * are never touched.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { escapeHtml, escapeMarkdown } from '../report/escape.ts';
import { markdownBlockToHtml } from '../report/markdown.ts';
import { percentInterval, percentOf, reproducedInterval } from '../report/format.ts';
import type { Reproduction } from '../report/reproduction.ts';
import { writeFileAtomic } from '../util/files.ts';
import { changelogEntry, readVersion, type VersionRecord } from './history.ts';
import { publishedVersions, versionDirName } from './versions.ts';

export const SITE_TITLE = 'Downstream scaling audit: published reports';
export const VERSIONS_DIR = 'versions';

/** A study's headline as a version recorded it. */
export interface StudyHeadline {
  study: string;
  predictable: number;
  total: number;
  /** The 95% interval as text ("37.0%–45.6%"), when recorded. */
  interval?: string;
  /** The published figure, when the study has published claims. */
  published?: { predictable: number; total: number; claims: string };
}

interface StudyEntry {
  study?: string;
  reproduced?: { predictable?: number; total?: number; ci95?: number[] };
  predictable?: number;
  total?: number;
  /** Tasks fitted (those with enough data): the denominator of the share. */
  fitted?: number;
  ci95?: number[] | null;
  interval?: number[];
}

/** Every study's headline in a version: reproduction.json's `studies` when it has them, else its one headline study. */
export function studyHeadlines(doc: Reproduction | undefined): StudyHeadline[] {
  if (!doc) return [];
  // A registry whose claims study had no fitted task has no headline fields, only `studies`.
  const main: StudyHeadline[] = doc.reproduced
    ? [{
        study: doc.study,
        predictable: doc.reproduced.predictable,
        total: doc.reproduced.total,
        interval: doc.reproduced.ci95 ? reproducedInterval(doc.reproduced) : undefined,
        published: { predictable: doc.published.predictable, total: doc.published.total, claims: doc.claims },
      }]
    : [];
  const studies = (doc as unknown as { studies?: StudyEntry[] }).studies;
  if (!Array.isArray(studies)) return main;
  const others: StudyHeadline[] = [];
  for (const entry of studies) {
    const study = entry.study;
    if (!study || (main.length > 0 && study === doc.study)) continue;
    const predictable = entry.reproduced?.predictable ?? entry.predictable;
    const total = entry.reproduced?.total ?? entry.total ?? entry.fitted;
    if (typeof predictable !== 'number' || typeof total !== 'number' || total === 0) continue;
    const interval = entry.reproduced?.ci95 ?? entry.ci95 ?? entry.interval;
    others.push({ study, predictable, total, interval: interval && interval.length === 2 ? percentInterval(interval) : undefined });
  }
  return [...main, ...others.sort((a, b) => (a.study < b.study ? -1 : a.study > b.study ? 1 : 0))];
}

function headlinePhrase(h: StudyHeadline): string {
  const interval = h.interval ? `, 95% interval ${h.interval}` : '';
  return `${h.study}: ${h.predictable} of ${h.total} predictable (${percentOf(h.predictable, h.total)}${interval})${h.published ? `; published ${h.published.predictable} of ${h.published.total} (${h.published.claims})` : ''}`;
}

/** The day of the commit a version was built from (git, in `root`), or undefined when git cannot say. */
export function commitDate(root: string, record: VersionRecord): string | undefined {
  const git = record.manifest.git;
  if (!git.repository) return undefined;
  try {
    return execFileSync('git', ['show', '-s', '--format=%cs', git.commit], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function commitText(record: VersionRecord): string {
  const git = record.manifest.git;
  return git.repository ? `${git.commit.slice(0, 12)}${git.dirty ? ' (uncommitted changes)' : ''}` : git.note;
}

interface SitePage {
  version: string;
  date: string;
  commit: string;
  headlines: string[];
  previous?: string;
  next?: string;
  changes: string;
}

function pages(records: readonly VersionRecord[], root: string): SitePage[] {
  // records newest first; the previous version of records[i] is records[i + 1].
  return records.map((record, i) => {
    const previous = records[i + 1];
    return {
      version: record.version,
      date: commitDate(root, record) ?? 'date unknown',
      commit: commitText(record),
      headlines: studyHeadlines(record.reproduction).map(headlinePhrase),
      previous: previous?.version,
      next: records[i - 1]?.version,
      changes: changelogEntry(record, previous).replace(/^## .*\n\n?/, ''),
    };
  });
}

const pageLink = (version: string, ext: 'html' | 'md'): string => `${VERSIONS_DIR}/${versionDirName(version)}.${ext}`;

export function indexMarkdown(site: readonly SitePage[]): string {
  const lines = [`# ${SITE_TITLE}`, ''];
  lines.push('Each version is an immutable snapshot of `outputs/` written by `make publish VERSION=x.y.z`: the report, its figures and tables, the data and a manifest of inputs and software. Dates are those of the commit each version was built from. [CHANGELOG.md](CHANGELOG.md) has every change in one file; [index.html](index.html) is this page for a browser.', '');
  if (site.length === 0) return `${lines.join("\n")}\nNo version has been published yet.\n`;
  // Newest first: the first page is the latest version, the one the README points readers to.
  lines.push(`Latest: **${site[0]!.version}**: [report](${versionDirName(site[0]!.version)}/report/report.md)`, '');
  lines.push('| version | date | commit | headline per study | links |', '| --- | --- | --- | --- | --- |');
  site.forEach((page, i) => {
    const dir = versionDirName(page.version);
    lines.push(
      `| [${page.version}](${pageLink(page.version, 'md')})${i === 0 ? ' (latest)' : ''} | ${page.date} | ${escapeMarkdown(page.commit)} | ${page.headlines.map(escapeMarkdown).join('<br>') || '–'} | [report](${dir}/report/report.md) · [interactive](${dir}/report/report.html) · [what changed](${pageLink(page.version, 'md')}) · [manifest](${dir}/manifest.json) |`,
    );
  });
  return `${lines.join('\n')}\n`;
}

function versionMarkdown(page: SitePage): string {
  const dir = `../${versionDirName(page.version)}`;
  const lines = [`# Version ${page.version}`, '', `Built from commit ${escapeMarkdown(page.commit)} (${page.date}).`, ''];
  lines.push(`[Report](${dir}/report/report.md) · [interactive report](${dir}/report/report.html) · [manifest](${dir}/manifest.json) · [all versions](../index.md)`, '');
  if (page.previous) lines.push(`Previous version: [${page.previous}](${versionDirName(page.previous)}.md).`);
  if (page.next) lines.push(`Next version: [${page.next}](${versionDirName(page.next)}.md).`);
  lines.push('', '## Headline', '', ...page.headlines.map((h) => `- ${escapeMarkdown(h)}`), '', page.previous ? `## What changed since ${page.previous}` : '## What changed', '', page.changes.trim());
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

const STYLE =
  'body{margin:0;font-family:DejaVu Sans,Verdana,Helvetica,Arial,sans-serif;color:#1a1a1a;line-height:1.5}main{max-width:960px;margin:0 auto;padding:24px}' +
  'table{border-collapse:collapse;font-size:.92em}th,td{border-bottom:1px solid #e4e4e4;padding:4px 10px;text-align:left;vertical-align:top}th{background:#f6f6f6}nav{margin:.5em 0 1em}';

function htmlPage(title: string, body: string): string {
  return ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">', `<title>${escapeHtml(title)}</title>`, `<style>${STYLE}</style>`, '</head>', '<body>', `<main>${body}</main>`, '</body>', '</html>', ''].join('\n');
}

export function indexHtml(site: readonly SitePage[]): string {
  const body = [`<h1>${escapeHtml(SITE_TITLE)}</h1>`, '<p>Each version is an immutable snapshot of <code>outputs/</code> written by <code>make publish VERSION=x.y.z</code>. Dates are those of the commit each version was built from. <a href="CHANGELOG.md">CHANGELOG.md</a> has every change in one file.</p>'];
  if (site.length === 0) body.push('<p>No version has been published yet.</p>');
  else {
    const rows = site.map((page, i) => {
      const dir = versionDirName(page.version);
      return (
        `<tr><td><a href="${escapeHtml(pageLink(page.version, 'html'))}">${escapeHtml(page.version)}</a>${i === 0 ? ' (latest)' : ''}</td><td>${escapeHtml(page.date)}</td><td><code>${escapeHtml(page.commit)}</code></td>` +
        `<td>${page.headlines.map(escapeHtml).join('<br>') || '–'}</td>` +
        `<td><a href="${dir}/report/report.html">report</a> · <a href="${dir}/report/report.md">Markdown</a> · <a href="${escapeHtml(pageLink(page.version, 'html'))}">what changed</a> · <a href="${dir}/manifest.json">manifest</a></td></tr>`
      );
    });
    body.push(`<table><thead><tr><th>version</th><th>date</th><th>commit</th><th>headline per study</th><th>links</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }
  return htmlPage(SITE_TITLE, body.join('\n'));
}

function versionHtml(page: SitePage): string {
  const dir = `../${versionDirName(page.version)}`;
  const nav = [
    `<a href="${dir}/report/report.html">report</a>`,
    `<a href="${dir}/report/report.md">Markdown</a>`,
    `<a href="${dir}/manifest.json">manifest</a>`,
    '<a href="../index.html">all versions</a>',
    ...(page.previous ? [`previous: <a href="${versionDirName(page.previous)}.html">${escapeHtml(page.previous)}</a>`] : []),
    ...(page.next ? [`next: <a href="${versionDirName(page.next)}.html">${escapeHtml(page.next)}</a>`] : []),
  ];
  const body = [
    `<h1>Version ${escapeHtml(page.version)}</h1>`,
    `<p>Built from commit <code>${escapeHtml(page.commit)}</code> (${escapeHtml(page.date)}).</p>`,
    `<nav>${nav.join(' · ')}</nav>`,
    '<h2>Headline</h2>',
    `<ul>${page.headlines.map((h) => `<li>${escapeHtml(h)}</li>`).join('')}</ul>`,
    `<h2>${page.previous ? `What changed since ${escapeHtml(page.previous)}` : 'What changed'}</h2>`,
    markdownBlockToHtml(page.changes.trim()),
  ];
  return htmlPage(`Version ${page.version}: ${SITE_TITLE}`, body.join('\n'));
}

/** Write reports/index.html, reports/index.md and reports/versions/*; returns the paths written. */
export function writeSite(reportsDir: string, root: string, records?: readonly VersionRecord[]): string[] {
  const all = records ?? publishedVersions(reportsDir).map((v) => readVersion(reportsDir, v));
  const site = pages(all, root);
  const files = new Map<string, string>([
    ['index.html', indexHtml(site)],
    ['index.md', indexMarkdown(site)],
  ]);
  for (const page of site) {
    files.set(pageLink(page.version, 'html'), versionHtml(page));
    files.set(pageLink(page.version, 'md'), versionMarkdown(page));
  }
  const written: string[] = [];
  for (const [name, text] of files) {
    writeFileAtomic(join(reportsDir, name), text);
    written.push(join(reportsDir, name));
  }
  return written.sort();
}
