/**
 * Stage 1, ingest: read every study folder of a registry, check it in layers (readable text,
 * well-formed JSON/CSV, schema, then named semantic checks) and collect every problem at once.
 * A problem is reported once, where it is: a study that fails does not make the studies that refer
 * to it fail too.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startObservationsCheck, type ObservationsChecker } from './check-observations.ts';
import { ID_PATTERN, ID_RULE, PLACEHOLDER } from './ids.ts';
import { pointerToken } from '../util/json-pointer.ts';
import { clip, quote } from '../util/shown-text.ts';
import { parseContributedJson } from './parse-json.ts';
import { ProblemCollector, type Problem } from './problems.ts';
import { readContributedCsv } from './read-csv.ts';
import { entryAt, readContributedText, SYMLINK_MESSAGE } from './read-text.ts';
import { schemaProblems, validator, type SchemaName } from '../util/schemas.ts';
import type { Claims, DerivedXKind, VocabularyEntry, IngestedStudy, ObservationsMetadata, ScaleVariableMetadata, StudyMetadata, Vocabulary } from './types.ts';

export interface IngestResult {
  registryDir: string;
  studies: IngestedStudy[];
  vocabulary: Vocabulary;
  /** The problems to show: capped per file and overall, with lines saying how many were left out. */
  problems: Problem[];
  /** How many problems were found in all (0 exactly when the registry is valid). */
  problemCount: number;
}

export interface IngestOptions {
  /** Keep the observation rows (default). make validate needs only their counts. */
  keepRows?: boolean;
}

/** Cap per file so one systematically broken column does not bury everything else. */
const MAX_PROBLEMS_PER_FILE = 50;
/** Cap overall, so a registry of broken files still gives a readable (and bounded) report. */
const MAX_PROBLEMS_SHOWN = 200;

type Problems = ProblemCollector;

const EMPTY_VOCABULARY: Vocabulary = { validationSets: [], benchmarks: [] };

/** A JSON document after parsing: `value` when it parsed, `valid` when it also met its schema. */
interface LoadedJson<T> {
  value?: unknown;
  valid?: T;
}

/** What one study folder yielded; later checks look across studies. */
interface FolderResult {
  folder: string;
  /** study.json, when it met the schema. */
  metadata?: StudyMetadata;
  /** The claims document and where it is, when it met the schema. */
  claims?: { file: string; value: Claims };
  /** The study, when every check of its folder passed. */
  study?: IngestedStudy;
}

/**
 * Ingest every study under `registryDir`. The vocabulary comes from `registryDir/vocabulary.json`,
 * or from `fallbackVocabularyDir` when a contributor checks a folder of new studies on its own.
 */
export function ingestRegistry(registryDir: string, fallbackVocabularyDir?: string, options: IngestOptions = {}): IngestResult {
  const problems = new ProblemCollector(MAX_PROBLEMS_PER_FILE);
  const shown = (path: string): string => relative(process.cwd(), path) || path;
  const finish = (studies: IngestedStudy[], vocabulary: Vocabulary): IngestResult => ({
    registryDir,
    studies,
    vocabulary,
    problems: problems.list(MAX_PROBLEMS_SHOWN, shown(registryDir)),
    problemCount: problems.length,
  });

  if (!isDirectory(registryDir)) {
    problems.push({ file: shown(registryDir), message: 'expected a folder of studies (a registry such as studies/), found no such folder' });
    return finish([], EMPTY_VOCABULARY);
  }
  if (entryAt(join(registryDir, 'study.json'))) {
    problems.push({
      file: shown(registryDir),
      message: 'expected a registry (a folder of study folders), found a single study folder: pass the folder that contains it, e.g. --studies studies',
    });
    return finish([], EMPTY_VOCABULARY);
  }

  const vocabularyPath = [registryDir, fallbackVocabularyDir].filter((dir): dir is string => !!dir).map((dir) => join(dir, 'vocabulary.json')).find((path) => entryAt(path) !== undefined);
  let vocabulary: Vocabulary | undefined;
  if (vocabularyPath) {
    const file = shown(vocabularyPath);
    vocabulary = loadJson<Vocabulary>(vocabularyPath, file, 'vocabulary', problems).valid;
    if (vocabulary) {
      const add = (pointer: string, message: string): void => void problems.push({ file, pointer, message });
      requireUnique(vocabulary.validationSets.map((v) => v.id), '/validationSets', 'validation set', add);
      requireUnique(vocabulary.benchmarks.map((b) => b.id), '/benchmarks', 'benchmark', add);
      for (const key of ['validationSets', 'benchmarks'] as const) requireUniqueAliases(vocabulary[key], `/${key}`, add);
    }
  } else {
    problems.push({ file: shown(join(registryDir, 'vocabulary.json')), message: 'file not found: expected the vocabulary of canonical validation sets and benchmarks here' });
  }

  // Entries are not followed through links: a linked study folder could be anywhere on the machine.
  const entries = readdirSync(registryDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.isSymbolicLink() && entry.name !== 'vocabulary.json') problems.push({ file: shown(join(registryDir, entry.name)), message: SYMLINK_MESSAGE });
  }
  const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  if (folders.length === 0) {
    problems.push({ file: shown(registryDir), message: 'expected at least one study folder (<id>/study.json), found none; make new-study ID=<id> creates one' });
  }
  const results = folders.map((folder) => ingestStudy(registryDir, folder, vocabulary, shown, problems, options.keepRows ?? true));
  checkClaimsAgainstStudies(results, shown, problems);
  const studies = results.filter((r) => r.study).map((r) => r.study!);
  return finish(studies, vocabulary ?? EMPTY_VOCABULARY);
}

function ingestStudy(registryDir: string, folder: string, vocabulary: Vocabulary | undefined, shown: (path: string) => string, problems: Problems, keepRows: boolean): FolderResult {
  const dir = join(registryDir, folder);
  const result: FolderResult = { folder };
  if (!ID_PATTERN.test(folder)) {
    problems.push({ file: shown(dir), message: `study folder name must be ${ID_RULE}, found ${quote(folder)}` });
    return result;
  }
  for (const link of symbolicLinksUnder(dir)) problems.push({ file: shown(link), message: SYMLINK_MESSAGE });
  const metadataPath = join(dir, 'study.json');
  const metadataFile = shown(metadataPath);
  const before = problems.length;
  const add = (pointer: string, message: string): void => void problems.push({ file: metadataFile, pointer, message });

  const loaded = loadJson<StudyMetadata>(metadataPath, metadataFile, 'study', problems, 'every study folder needs a study.json (make new-study ID=<id> creates one)');
  // The id must name the folder whether or not the rest of the file is valid.
  const id = isObject(loaded.value) ? loaded.value.id : undefined;
  if (typeof id === 'string' && id !== folder && !PLACEHOLDER.test(id)) add('/id', `id must equal the folder name "${folder}", found ${quote(id)}`);
  const metadata = loaded.valid;
  if (!metadata) return result;
  result.metadata = metadata;

  const files = [relative(registryDir, metadataPath)];
  let observations: IngestedStudy['observations'];
  let counts: IngestedStudy['counts'];
  let claims: Claims | undefined;

  const declared = metadata.observations;
  if (declared) {
    requireUnique(declared.corpora.map((c) => c.id), '/observations/corpora', 'corpus', add);
    requireUnique(declared.scaleVariables.map((v) => v.id), '/observations/scaleVariables', 'scale variable', add);
    requireUnique(declared.validationSets.map((v) => v.id), '/observations/validationSets', 'validation set', add);
    requireUnique(declared.tasks.map((t) => t.id), '/observations/tasks', 'task', add);
    const reserved = new Set(['model', 'corpus', 'run', 'step', 'final']);
    declared.scaleVariables.forEach((v, i) => {
      if (reserved.has(v.id)) add(`/observations/scaleVariables/${i}/id`, `"${v.id}" is a reserved column name (expected a name other than model, corpus, run, step, final)`);
    });
    const taskIds = new Set(declared.tasks.map((t) => t.id));
    (declared.excludedTasks ?? []).forEach((t, i) => {
      if (taskIds.has(t.id)) add(`/observations/excludedTasks/${i}/id`, `task "${t.id}" is both declared in tasks and listed as excluded; expected one or the other`);
    });
    checkDeclaredX(declared, add);
    if (vocabulary) {
      const knownSets = new Set(vocabulary.validationSets.map((v) => v.id));
      declared.validationSets.forEach((v, i) => {
        if (!knownSets.has(v.canonical)) add(`/observations/validationSets/${i}/canonical`, `unknown canonical validation set "${v.canonical}": expected an id from the validationSets of vocabulary.json (or add an entry there in the same pull request)`);
      });
      const knownBenchmarks = new Set(vocabulary.benchmarks.map((b) => b.id));
      declared.tasks.forEach((t, i) => {
        if (!knownBenchmarks.has(t.benchmark)) add(`/observations/tasks/${i}/benchmark`, `unknown benchmark "${t.benchmark}": expected an id from the benchmarks of vocabulary.json (or add an entry there in the same pull request)`);
      });
    }
    // Cells are checked against the declared columns, so only once the declaration itself is sound.
    if (problems.length === before) {
      const csvPath = join(dir, declared.file);
      const csvFile = shown(csvPath);
      files.push(relative(registryDir, csvPath));
      let checker: ObservationsChecker | undefined;
      const report = (problem: Problem): void => problems.add(problem);
      const read = readContributedCsv(csvPath, csvFile, `study.json declares observations.file "${declared.file}"`, {
        header: (cells) => void (checker = startObservationsCheck(cells, declared, csvFile, report, keepRows)),
        row: (cells) => checker!.row(cells),
      });
      if (!read.ok) problems.push(read.problem);
      else {
        const summary = checker!.finish();
        observations = summary.columns;
        counts = { rows: summary.rowCount, taskValues: summary.taskValues };
      }
    }
  }
  if (metadata.claims) {
    const claimsPath = join(dir, metadata.claims.file);
    const file = shown(claimsPath);
    files.push(relative(registryDir, claimsPath));
    claims = loadJson<Claims>(claimsPath, file, 'claims', problems, `study.json declares claims.file "${metadata.claims.file}"`).valid;
    if (claims) {
      result.claims = { file, value: claims };
      requireUnique(claims.labels.map((l) => l.task), '/labels', 'label for task', (pointer, message) => problems.push({ file, pointer, message }), 'task');
      const behaviour = claims.headline.behaviour;
      const counted = claims.labels.filter((l) => l.behaviour === behaviour).length;
      if (counted !== claims.headline.count) {
        problems.push({ file, pointer: '/headline/count', message: `headline count must equal the number of labels with behaviour "${behaviour}" (${counted}), found ${claims.headline.count}` });
      }
      if (claims.labels.length !== claims.headline.total) {
        problems.push({ file, pointer: '/headline/total', message: `headline total must equal the number of labels (${claims.labels.length}), found ${claims.headline.total}` });
      }
    }
  }
  if (problems.length > before) return result;
  result.study = { id: metadata.id, dir, metadata, files, ...(observations ? { observations } : {}), ...(counts ? { counts } : {}), ...(claims ? { claims } : {}) };
  return result;
}

/** The scale variable kinds each derived x reads (see study.schema.json, observations.x). */
const DERIVED_X_NEEDS: Record<DerivedXKind, ScaleVariableMetadata['kind'][]> = {
  'log-compute': ['parameters', 'tokens'],
  'log-flops': ['flops'],
  'log-tokens': ['tokens'],
  'log-params': ['parameters'],
};

/** A declared x must name a validation set of the study, or the scale variables it is derived from. */
function checkDeclaredX(declared: ObservationsMetadata, add: (pointer: string, message: string) => void): void {
  const x = declared.x;
  if (!x) return;
  if (x.kind === 'loss') {
    if (!declared.validationSets.some((v) => v.id === x.set)) {
      add('/observations/x/set', `expected the id of one of observations.validationSets (${declared.validationSets.map((v) => v.id).join(', ') || 'none declared'}), found ${quote(x.set)}`);
    }
    return;
  }
  for (const kind of DERIVED_X_NEEDS[x.kind]) {
    const count = declared.scaleVariables.filter((v) => v.kind === kind).length;
    if (count !== 1) add('/observations/x/kind', `x of kind "${x.kind}" needs exactly one scale variable of kind "${kind}" in observations.scaleVariables, found ${count}`);
  }
}

/**
 * Claims must be about a study in the registry and name its tasks and validation sets. A subject
 * whose study.json is broken has been reported already, so it is not reported again here.
 */
function checkClaimsAgainstStudies(results: FolderResult[], shown: (path: string) => string, problems: Problems): void {
  const byFolder = new Map(results.map((r) => [r.folder, r]));
  for (const result of results) {
    if (!result.claims) continue;
    const { file, value: claims } = result.claims;
    const subject = byFolder.get(claims.about);
    if (subject && !subject.metadata) continue;
    const declared = subject?.metadata?.observations;
    if (!declared) {
      const studiesWithData = results.filter((r) => r.metadata?.observations).map((r) => r.folder);
      problems.push({
        file,
        pointer: '/about',
        message: `expected the id of a study with observations in this registry (${studiesWithData.join(', ') || 'none'}), found ${quote(claims.about)}`,
      });
      continue;
    }
    if (!declared.validationSets.some((v) => v.id === claims.x)) {
      problems.push({ file, pointer: '/x', message: `expected a validation set id of ${claims.about} (${declared.validationSets.map((v) => v.id).join(', ')}), found ${quote(claims.x)}` });
    }
    const tasks = new Set(declared.tasks.map((t) => t.id));
    claims.labels.forEach((label, i) => {
      if (!tasks.has(label.task)) problems.push({ file, pointer: `/labels/${i}/task`, message: `expected a task id of ${claims.about}, found ${quote(label.task)}, which ${claims.about}/study.json does not declare` });
    });
  }
}

/**
 * Read, parse and schema-check one JSON document, reporting every problem. Placeholders left by
 * `make new-study` are reported as such (and not again as the schema error they also cause).
 */
function loadJson<T>(path: string, shownAs: string, schema: SchemaName, problems: Problems, whatFor = ''): LoadedJson<T> {
  const text = readContributedText(path, shownAs, whatFor);
  if (!text.ok) {
    problems.push(text.problem);
    return {};
  }
  const parsed = parseContributedJson(text.text, shownAs);
  if (!parsed.ok) {
    problems.push(parsed.problem);
    return {};
  }
  problems.addAll(parsed.problems);
  const placeholders = findPlaceholders(parsed.value);
  for (const { pointer, text: placeholder } of placeholders) {
    problems.push({ file: shownAs, pointer, message: describePlaceholder(placeholder) });
  }
  const reported = new Set<string | undefined>();
  for (const p of parsed.problems) reported.add(p.pointer);
  for (const p of placeholders) reported.add(p.pointer);
  const validate = validator(schema);
  const valid = validate(parsed.value);
  for (const { pointer, message } of schemaProblems(validate.errors ?? [], parsed.value)) {
    if (!reported.has(pointer)) problems.push({ file: shownAs, pointer, message });
  }
  if (!valid || placeholders.length > 0 || parsed.problems.length > 0) return { value: parsed.value };
  return { value: parsed.value, valid: parsed.value as T };
}

/** The scaffold's TODO text says what belongs there; ids like todo_task just need renaming. */
function describePlaceholder(text: string): string {
  const wanted = text.replace(PLACEHOLDER, '').replace(/^[\s:]+/, '');
  if (/^[a-z0-9_.-]*$/.test(text) || wanted === '') return `still a placeholder from make new-study: replace ${quote(text)} with a real id (and use the same id in the CSV)`;
  return `still a placeholder from make new-study: replace it with ${clip(wanted)}`;
}

function findPlaceholders(value: unknown, pointer = ''): { pointer: string; text: string }[] {
  if (typeof value === 'string') return PLACEHOLDER.test(value) ? [{ pointer, text: value }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => findPlaceholders(item, `${pointer}/${i}`));
  if (isObject(value)) return Object.keys(value).flatMap((key) => findPlaceholders(value[key], `${pointer}/${pointerToken(key)}`));
  return [];
}

/** An alias (case-insensitive) may name one entry only, and never another entry's id. */
function requireUniqueAliases(entries: readonly VocabularyEntry[], pointer: string, add: (pointer: string, message: string) => void): void {
  const owner = new Map(entries.map((entry) => [entry.id.toLowerCase(), entry.id]));
  entries.forEach((entry, i) =>
    (entry.aliases ?? []).forEach((alias, j) => {
      const key = alias.toLowerCase();
      const other = owner.get(key);
      if (other !== undefined && other !== entry.id) add(`${pointer}/${i}/aliases/${j}`, `alias ${quote(alias)} already names "${other}"; expected each alias to name one entry`);
      else owner.set(key, entry.id);
    }),
  );
}

function requireUnique(ids: string[], pointer: string, what: string, add: (pointer: string, message: string) => void, field = 'id'): void {
  const seen = new Map<string, number>();
  ids.forEach((id, index) => {
    const first = seen.get(id);
    if (first !== undefined) add(`${pointer}/${index}/${field}`, `duplicate ${what} "${id}" (also at ${pointer}/${first}); expected each ${field} once`);
    else seen.set(id, index);
  });
}

/** Every symbolic link inside `dir`, at any depth (links are reported, never followed). */
function symbolicLinksUnder(dir: string): string[] {
  const links: string[] = [];
  const visit = (folder: string): void => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isSymbolicLink()) links.push(path);
      else if (entry.isDirectory()) visit(path);
    }
  };
  visit(dir);
  return links.sort();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
