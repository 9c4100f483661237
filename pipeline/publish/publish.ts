/**
 * `make publish VERSION=x.y.z`: freeze outputs/ as reports/vX.Y.Z/, never overwriting a version.
 *
 * The version folder mirrors outputs/ (data files at its top, the rendered report under report/, so
 * the report's relative links keep working) plus manifest.json. It is built in a temporary folder
 * under reports/ and renamed into place, so a reader never sees half a version; then
 * reports/CHANGELOG.md, reports/index.md, reports/latest.json and README.md's studies table are rewritten (each atomically).
 * Nothing in it depends on the clock: publishing the same tree twice gives the same bytes apart from
 * the version label.
 *
 * Only one complete generation of outputs/ made from the current inputs is published: its run record
 * (pipeline/util/run-record.ts) must list exactly the files there, every input must still have the
 * recorded hash, the run must have read the committed registry and configuration, and the tree must
 * be committed and unchanged (in code and inputs) since the run. The manifest is built from the record.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UserError } from '../util/errors.ts';
import { rasterizeFigures } from '../report/render-png.ts';
import { REPRODUCTION_FILE } from '../report/reproduction.ts';
import { formatJson, formatSortedJson, writeFileAtomic } from '../util/files.ts';
import { OUTPUTS_DIR, REPORTS_DIR, ROOT, shownPath } from '../util/paths.ts';
import { changelogEntry, latestJson, prependChangelog, readVersion, type VersionRecord } from './history.ts';
import { writeReadmeStudiesTable } from './readme-studies.ts';
import { writeSite } from './site.ts';
import { MANIFEST_FILE, type Manifest } from './manifest.ts';
import { changedBetween, gitState, listFiles, sha256, sha256Text } from '../util/provenance.ts';
import { checkGeneration, type RunRecord } from '../util/run-record.ts';
import { compareVersions, nextVersionsText, parseVersion, publishedVersions, versionDirName } from './versions.ts';

export interface PublishOptions {
  /** x.y.z */
  version: string;
  /** Default outputs/. */
  outputsDir?: string;
  /** Default reports/. */
  reportsDir?: string;
  /** Repository root: package.json, node_modules, studies/, pipeline/config/, schemas/, git. Default the project's. */
  root?: string;
  /** Why this version is published: kept in the manifest and shown in its changelog entry. */
  note?: string;
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
/** What a run's results depend on besides the inputs it hashed: a change here between commits means reproduce again. */
const CODE_PATHS = ['pipeline', 'schemas', 'studies', 'package.json', 'package-lock.json'];

/** Files of outputs/ that a version carries: the rendered report, and every CSV and JSON file. */
export function publishableFiles(outputsDir: string): string[] {
  return listFiles(outputsDir, outputsDir).filter((f) => !/\.tmp-\d+$/.test(f) && (f.startsWith('report/') || /\.(csv|json)$/.test(f)));
}

export async function publish(options: PublishOptions): Promise<PublishResult> {
  const { version } = options;
  const outputsDir = options.outputsDir ?? OUTPUTS_DIR;
  const reportsDir = options.reportsDir ?? REPORTS_DIR;
  const root = options.root ?? ROOT;
  const log = options.log ?? (() => {});
  const shown = shownPath;

  const existing = publishedVersions(reportsDir);
  const newest = existing[0];
  const suggestion = nextVersionsText(newest);
  if (version === '') throw new UserError(`missing version: run make publish VERSION=x.y.z, e.g. ${suggestion}`);
  if (!parseVersion(version)) throw new UserError(`invalid version ${JSON.stringify(version)}: expected x.y.z with non-negative integers and no leading zeros, e.g. ${suggestion}`);
  const target = join(reportsDir, versionDirName(version));
  if (existsSync(target)) throw new UserError(`${shown(target)} already exists: a published version is never overwritten; choose a new version, e.g. ${suggestion}`);
  if (newest !== undefined && compareVersions(version, newest) <= 0) throw new UserError(`version ${version} is not newer than the latest published version ${newest}: choose a higher version, e.g. ${suggestion}`);

  const reproduction = join(outputsDir, REPRODUCTION_FILE);
  if (!existsSync(reproduction)) throw new UserError(`${shown(reproduction)} not found: run make reproduce first`);
  for (const file of REPORT_FILES) {
    const path = join(outputsDir, file);
    if (!existsSync(path)) throw new UserError(`${shown(path)} not found: run make reproduce first (or make report to render the report from existing outputs)`);
  }
  const record = await checkPublishable(outputsDir, root);

  // Everything the manifest records is read before anything is written; provenance is the run's own.
  const files = publishableFiles(outputsDir);
  const { project, packages, git, inputs } = record;
  const node = record.node;

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
    // One line: a changelog entry is Markdown, and a note is a sentence, not a document.
    const note = options.note?.replace(/\s+/g, ' ').trim();
    manifest = { schemaVersion: 1, version, project, git, node, packages, inputs, outputs, ...(note ? { note } : {}) };
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
  writeFileAtomic(changelogPath, changelog);
  writeFileAtomic(join(reportsDir, 'latest.json'), latestJson(version));
  // The site of versions (index.html, index.md, versions/*) is regenerated whole from every published version.
  const updated = [changelogPath, join(reportsDir, 'latest.json'), ...writeSite(reportsDir, root, records), ...writeReadmeStudiesTable(root, reportsDir)];
  log(`publish: updated ${updated.map(shown).join(', ')}`);
  return { version, directory: target, files: [...files, MANIFEST_FILE].sort(), updated, manifest };
}

/**
 * The run record of outputs/ when they may be published, else a UserError saying why and what to run:
 * one complete generation from the current inputs, made from the committed registry and configuration,
 * on a committed tree whose code and inputs have not changed since.
 */
async function checkPublishable(outputsDir: string, root: string): Promise<RunRecord> {
  const shown = shownPath(outputsDir);
  const check = checkGeneration(outputsDir, root);
  if (!check.ok) throw new UserError(`cannot publish: ${check.problem}`);
  const { record } = check;
  if (record.registry !== 'studies') throw new UserError(`cannot publish: ${shown} was made from the registry ${record.registry}, not studies/: run make reproduce`);
  const committedConfig = join(root, 'pipeline', 'config', 'analysis.json');
  let configHash: string | undefined;
  try {
    configHash = sha256Text(formatJson(JSON.parse(readFileSync(committedConfig, 'utf8'))));
  } catch {
    configHash = undefined;
  }
  if (record.config.file !== 'pipeline/config/analysis.json' || record.config.sha256 !== configHash) {
    throw new UserError(`cannot publish: ${shown} was made with another configuration (${record.config.file}${record.config.file === 'pipeline/config/analysis.json' ? ' with command-line overrides' : ''}), not pipeline/config/analysis.json as committed: run make reproduce`);
  }
  const now = await gitState(root);
  if (now.repository && now.dirty) throw new UserError('cannot publish: the working tree has uncommitted changes (see git status): commit them, then run make reproduce');
  if (record.git.repository) {
    const made = record.git.commit.slice(0, 12);
    if (record.git.dirty) throw new UserError(`cannot publish: ${shown} was made at commit ${made} with uncommitted changes: commit them, then run make reproduce`);
    if (now.repository && now.commit !== record.git.commit) {
      const changed = await changedBetween(root, record.git.commit, now.commit, CODE_PATHS);
      if (changed === undefined) throw new UserError(`cannot publish: ${shown} was made at commit ${made}, which git cannot compare with HEAD: run make reproduce`);
      if (changed.length > 0) {
        const names = changed.length > 5 ? `${changed.slice(0, 5).join(', ')} and ${changed.length - 5} more` : changed.join(', ');
        throw new UserError(`cannot publish: ${shown} was made at commit ${made}; since then ${names} changed: run make reproduce`);
      }
    }
  } else if (now.repository) {
    throw new UserError(`cannot publish: ${shown} was made outside a git repository (${record.git.note}): run make reproduce`);
  }
  return record;
}
