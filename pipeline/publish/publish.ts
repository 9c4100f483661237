/**
 * `make publish VERSION=x.y.z`: freeze outputs/ as reports/vX.Y.Z/, never overwriting a version.
 *
 * The version folder mirrors outputs/ (data files at its top, the rendered report under report/, so
 * the report's relative links keep working) plus manifest.json. It is built in a temporary folder
 * under reports/ and renamed into place, so a reader never sees half a version; then
 * reports/CHANGELOG.md, reports/index.md and reports/latest.json are rewritten (each atomically).
 * Nothing in it depends on the clock: publishing the same tree twice gives the same bytes apart from
 * the version label.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UserError } from '../util/errors.ts';
import { rasterizeFigures } from '../report/render-png.ts';
import { REPRODUCTION_FILE } from '../report/reproduction.ts';
import { formatSortedJson, writeFileAtomic } from '../util/files.ts';
import { OUTPUTS_DIR, REPORTS_DIR, ROOT } from '../util/paths.ts';
import { changelogEntry, indexMarkdown, latestJson, prependChangelog, readVersion, type VersionRecord } from './history.ts';
import { MANIFEST_FILE, type Manifest } from './manifest.ts';
import { gitState, inputHashes, listFiles, packageVersions, sha256 } from './provenance.ts';
import { compareVersions, parseVersion, publishedVersions, versionDirName } from './versions.ts';

export interface PublishOptions {
  /** x.y.z */
  version: string;
  /** Default outputs/. */
  outputsDir?: string;
  /** Default reports/. */
  reportsDir?: string;
  /** Repository root: package.json, node_modules, studies/, pipeline/config/, schemas/, git. Default the project's. */
  root?: string;
  log?: (line: string) => void;
}

export interface PublishResult {
  version: string;
  directory: string;
  /** Files of the version folder, relative to it (manifest.json included). */
  files: string[];
  /** CHANGELOG.md, index.md, latest.json. */
  updated: string[];
  manifest: Manifest;
}

const REPORT_FILES = ['report/report.html', 'report/report.md'];

/** Files of outputs/ that a version carries: the rendered report, and every CSV and JSON file. */
export function publishableFiles(outputsDir: string): string[] {
  return listFiles(outputsDir, outputsDir).filter((f) => !/\.tmp-\d+$/.test(f) && (f.startsWith('report/') || /\.(csv|json)$/.test(f)));
}

export function publish(options: PublishOptions): PublishResult {
  const { version } = options;
  const outputsDir = options.outputsDir ?? OUTPUTS_DIR;
  const reportsDir = options.reportsDir ?? REPORTS_DIR;
  const root = options.root ?? ROOT;
  const log = options.log ?? (() => {});
  const shown = (path: string): string => relative(process.cwd(), path) || path;

  if (version === '') throw new UserError('missing version: run make publish VERSION=x.y.z, e.g. VERSION=0.1.0');
  if (!parseVersion(version)) throw new UserError(`invalid version ${JSON.stringify(version)}: expected x.y.z with non-negative integers and no leading zeros, e.g. 0.1.0`);
  const target = join(reportsDir, versionDirName(version));
  if (existsSync(target)) throw new UserError(`${shown(target)} already exists: a published version is never overwritten; choose a new version`);
  const existing = publishedVersions(reportsDir);
  const newest = existing[0];
  if (newest !== undefined && compareVersions(version, newest) <= 0) throw new UserError(`version ${version} is not newer than the latest published version ${newest}: choose a higher version`);

  const reproduction = join(outputsDir, REPRODUCTION_FILE);
  if (!existsSync(reproduction)) throw new UserError(`${shown(reproduction)} not found: run make reproduce first`);
  for (const file of REPORT_FILES) {
    const path = join(outputsDir, file);
    if (!existsSync(path)) throw new UserError(`${shown(path)} not found: run make reproduce first (or make report to render the report from existing outputs)`);
    if (statSync(path).mtimeMs < statSync(reproduction).mtimeMs) throw new UserError(`${shown(path)} is older than ${shown(reproduction)}: run make report to render the report from the current outputs`);
  }

  // Everything the manifest records is read before anything is written.
  const files = publishableFiles(outputsDir);
  const { project, packages } = packageVersions(root);
  const git = gitState(root);
  const inputs = inputHashes(root);

  const temp = join(reportsDir, `.tmp-${versionDirName(version)}-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  let manifest: Manifest;
  try {
    for (const file of files) {
      const destination = join(temp, file);
      mkdirSync(dirname(destination), { recursive: true });
      copyFileSync(join(outputsDir, file), destination);
    }
    // A version carries a PNG of every figure; outputs/ has them only after make figures.
    files.push(...rasterizeFigures(join(temp, 'report')).map((png) => join('report', png)));
    files.sort();
    const outputs = Object.fromEntries(files.map((f) => [f, sha256(join(temp, f))]));
    manifest = { schemaVersion: 1, version, project, git, node: process.version, packages, inputs, outputs };
    writeFileAtomic(join(temp, MANIFEST_FILE), formatSortedJson(manifest));
    if (existsSync(target)) throw new UserError(`${shown(target)} appeared while publishing: nothing was changed`);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  log(`publish: wrote ${shown(target)} (${files.length + 1} files)`);

  const current = readVersion(reportsDir, version);
  const previous = newest === undefined ? undefined : readVersion(reportsDir, newest);
  const changelogPath = join(reportsDir, 'CHANGELOG.md');
  const changelog = prependChangelog(existsSync(changelogPath) ? readFileSync(changelogPath, 'utf8') : undefined, changelogEntry(current, previous));
  const records: VersionRecord[] = [current, ...existing.map((v) => readVersion(reportsDir, v))];
  const updated = [changelogPath, join(reportsDir, 'index.md'), join(reportsDir, 'latest.json')];
  writeFileAtomic(updated[0]!, changelog);
  writeFileAtomic(updated[1]!, indexMarkdown(records));
  writeFileAtomic(updated[2]!, latestJson(version));
  log(`publish: updated ${updated.map(shown).join(', ')}`);
  return { version, directory: target, files: [...files, MANIFEST_FILE].sort(), updated, manifest };
}
