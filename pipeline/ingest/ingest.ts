/**
 * Stage 1, ingest: read every study folder of a registry, check it in layers (readable text,
 * well-formed JSON/CSV, schema, then named semantic checks) and collect every problem at once.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkObservations } from './check-observations.ts';
import { parseContributedJson } from './parse-json.ts';
import { parseCsvWithPositions } from './parse-csv.ts';
import { sortProblems, type Problem } from './problems.ts';
import { readContributedText } from './read-text.ts';
import { describeSchemaError, validator, type SchemaName } from './schemas.ts';
import type { Claims, IngestedStudy, StudyMetadata, Vocabulary } from './types.ts';

export interface IngestResult {
  registryDir: string;
  studies: IngestedStudy[];
  vocabulary: Vocabulary;
  problems: Problem[];
}

const ID_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,79}$/;
/** Cap per file so one systematically broken column does not bury everything else. */
const MAX_PROBLEMS_PER_FILE = 50;

/**
 * Ingest every study under `registryDir`. The vocabulary comes from `registryDir/vocabulary.json`,
 * or from `fallbackVocabularyDir` when a contributor checks a folder of new studies on its own.
 */
export function ingestRegistry(registryDir: string, fallbackVocabularyDir?: string): IngestResult {
  const problems: Problem[] = [];
  const shown = (path: string): string => relative(process.cwd(), path) || path;
  if (!existsSync(registryDir) || !statSync(registryDir).isDirectory()) {
    return { registryDir, studies: [], vocabulary: { validationSets: [], benchmarks: [] }, problems: [{ file: shown(registryDir), message: 'not a folder of studies' }] };
  }

  const vocabularyPath = [registryDir, fallbackVocabularyDir].filter((dir): dir is string => !!dir).map((dir) => join(dir, 'vocabulary.json')).find(existsSync);
  const vocabulary = vocabularyPath ? loadJson<Vocabulary>(vocabularyPath, shown(vocabularyPath), 'vocabulary', problems) : undefined;
  if (!vocabularyPath) problems.push({ file: shown(join(registryDir, 'vocabulary.json')), message: 'file not found: the registry needs a vocabulary of validation sets and benchmarks' });

  const studies: IngestedStudy[] = [];
  const folders = readdirSync(registryDir).filter((name) => statSync(join(registryDir, name)).isDirectory()).sort();
  for (const folder of folders) {
    const study = ingestStudy(registryDir, folder, vocabulary ?? { validationSets: [], benchmarks: [] }, shown, problems);
    if (study) studies.push(study);
  }
  checkClaimsAgainstStudies(studies, shown, problems);
  return { registryDir, studies, vocabulary: vocabulary ?? { validationSets: [], benchmarks: [] }, problems: capPerFile(sortProblems(problems)) };
}

function ingestStudy(registryDir: string, folder: string, vocabulary: Vocabulary, shown: (path: string) => string, problems: Problem[]): IngestedStudy | undefined {
  const dir = join(registryDir, folder);
  const metadataPath = join(dir, 'study.json');
  const metadataFile = shown(metadataPath);
  if (!ID_PATTERN.test(folder)) {
    problems.push({ file: shown(dir), message: `study folder name must be a lower-case id (letters, digits, _ . -), found ${JSON.stringify(folder)}` });
    return undefined;
  }
  const metadata = loadJson<StudyMetadata>(metadataPath, metadataFile, 'study', problems);
  if (!metadata) return undefined;

  const before = problems.length;
  const add = (pointer: string, message: string): void => void problems.push({ file: metadataFile, pointer, message });
  if (metadata.id !== folder) add('/id', `id must equal the folder name "${folder}", found ${JSON.stringify(metadata.id)}`);
  const files = [relative(registryDir, metadataPath)];
  let observations: IngestedStudy['observations'];
  let claims: Claims | undefined;

  const declared = metadata.observations;
  if (declared) {
    requireUnique(declared.corpora.map((c) => c.id), '/observations/corpora', 'corpus', add);
    requireUnique(declared.scaleVariables.map((v) => v.id), '/observations/scaleVariables', 'scale variable', add);
    requireUnique(declared.validationSets.map((v) => v.id), '/observations/validationSets', 'validation set', add);
    requireUnique(declared.tasks.map((t) => t.id), '/observations/tasks', 'task', add);
    const reserved = new Set(['model', 'corpus', 'run', 'step', 'final']);
    declared.scaleVariables.forEach((v, i) => reserved.has(v.id) && add(`/observations/scaleVariables/${i}/id`, `"${v.id}" is a reserved column name`));
    const knownSets = new Set(vocabulary.validationSets.map((v) => v.id));
    declared.validationSets.forEach((v, i) => {
      if (!knownSets.has(v.canonical)) add(`/observations/validationSets/${i}/canonical`, `unknown canonical validation set "${v.canonical}": use one of studies/vocabulary.json or add it there`);
    });
    const knownBenchmarks = new Set(vocabulary.benchmarks.map((b) => b.id));
    declared.tasks.forEach((t, i) => {
      if (!knownBenchmarks.has(t.benchmark)) add(`/observations/tasks/${i}/benchmark`, `unknown benchmark "${t.benchmark}": use one of studies/vocabulary.json or add it there`);
    });
    if (problems.length === before) {
      const csvPath = join(dir, declared.file);
      files.push(relative(registryDir, csvPath));
      const text = readContributedText(csvPath, shown(csvPath));
      if (!text.ok) problems.push(text.problem);
      else {
        const parsed = parseCsvWithPositions(text.text);
        if (!parsed.ok) problems.push({ file: shown(csvPath), line: parsed.line, column: parsed.column, message: parsed.message });
        else {
          const checked = checkObservations(parsed.table, declared, shown(csvPath));
          problems.push(...checked.problems);
          observations = checked.rows;
        }
      }
    }
  }
  if (metadata.claims) {
    const claimsPath = join(dir, metadata.claims.file);
    files.push(relative(registryDir, claimsPath));
    claims = loadJson<Claims>(claimsPath, shown(claimsPath), 'claims', problems);
    if (claims) {
      const file = shown(claimsPath);
      requireUnique(claims.labels.map((l) => l.task), '/labels', 'label for task', (pointer, message) => problems.push({ file, pointer, message }), 'task');
      const counted = claims.labels.filter((l) => l.behaviour === claims!.headline.behaviour).length;
      if (counted !== claims.headline.count) problems.push({ file, pointer: '/headline/count', message: `headline count ${claims.headline.count} does not match the ${counted} labels "${claims.headline.behaviour}"` });
      if (claims.labels.length !== claims.headline.total) problems.push({ file, pointer: '/headline/total', message: `headline total ${claims.headline.total} does not match the ${claims.labels.length} labels` });
    }
  }
  if (problems.length > before) return undefined;
  return { id: metadata.id, dir, metadata, files, ...(observations ? { observations } : {}), ...(claims ? { claims } : {}) };
}

/** Claims must be about a study in the registry and name its tasks and validation sets. */
function checkClaimsAgainstStudies(studies: IngestedStudy[], shown: (path: string) => string, problems: Problem[]): void {
  const byId = new Map(studies.map((s) => [s.id, s]));
  for (const study of studies) {
    if (!study.claims || !study.metadata.claims) continue;
    const file = shown(join(study.dir, study.metadata.claims.file));
    const subject = byId.get(study.claims.about)?.metadata.observations;
    if (!subject) {
      problems.push({ file, pointer: '/about', message: `claims are about "${study.claims.about}", which is not a study with observations in this registry` });
      continue;
    }
    if (!subject.validationSets.some((v) => v.id === study.claims!.x)) problems.push({ file, pointer: '/x', message: `"${study.claims.x}" is not a validation set of ${study.claims.about}` });
    const tasks = new Set(subject.tasks.map((t) => t.id));
    study.claims.labels.forEach((label, i) => {
      if (!tasks.has(label.task)) problems.push({ file, pointer: `/labels/${i}/task`, message: `"${label.task}" is not a task of ${study.claims!.about}` });
    });
  }
}

function loadJson<T>(path: string, shownAs: string, schema: SchemaName, problems: Problem[]): T | undefined {
  const text = readContributedText(path, shownAs);
  if (!text.ok) return void problems.push(text.problem);
  const parsed = parseContributedJson(text.text, shownAs);
  if (!parsed.ok) return void problems.push(parsed.problem);
  const validate = validator(schema);
  if (!validate(parsed.value)) {
    for (const error of validate.errors ?? []) {
      if (error.keyword === 'anyOf' || error.keyword === 'if') continue;
      problems.push({ file: shownAs, pointer: error.instancePath, message: describeSchemaError(error, parsed.value) });
    }
    return undefined;
  }
  return parsed.value as T;
}

function requireUnique(ids: string[], pointer: string, what: string, add: (pointer: string, message: string) => void, field = 'id'): void {
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    if (seen.has(id)) add(`${pointer}/${index}/${field}`, `duplicate ${what} "${id}"`);
    seen.add(id);
  });
}

function capPerFile(problems: Problem[]): Problem[] {
  const kept: Problem[] = [];
  const counts = new Map<string, number>();
  for (const problem of problems) {
    const count = (counts.get(problem.file) ?? 0) + 1;
    counts.set(problem.file, count);
    if (count <= MAX_PROBLEMS_PER_FILE) kept.push(problem);
  }
  for (const [file, count] of counts) {
    if (count > MAX_PROBLEMS_PER_FILE) kept.push({ file, message: `... and ${count - MAX_PROBLEMS_PER_FILE} more problems in this file` });
  }
  return kept;
}
