/**
 * `make new-study ID=...`: scaffold studies/<id>/ for a contribution. study.json is complete in
 * shape but its values are placeholders starting with "TODO" (and the ids todo_corpus,
 * todo_validation_set, todo_task), which `make validate` reports one by one until they are replaced;
 * observations.csv holds the header that the scaffolded metadata declares.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expectedColumns } from '../ingest/check-observations.ts';
import { ID_PATTERN, ID_RULE } from '../ingest/ids.ts';
import type { ObservationsMetadata } from '../ingest/types.ts';
import { formatCsv, formatJson, writeFileAtomic } from '../util/files.ts';
import { STUDIES_DIR } from '../util/paths.ts';
import type { Command } from './command.ts';
import { parseOptions } from './options.ts';
import { UserError } from '../util/errors.ts';

type Level = ObservationsMetadata['level'];

export const newStudyCommand: Command = {
  summary: 'Scaffold studies/<id>/ (study.json with TODO placeholders, observations.csv header) for a new study',
  help: [
    'Options:',
    '  --id ID        id of the new study, e.g. smith2025 (lower-case letters, digits, _ . -)',
    '  --level LEVEL  model: one row per final model (default); checkpoint: one row per checkpoint (adds run, step, final)',
    '  --studies DIR  registry to add it to (default studies/)',
  ].join('\n'),
  async run(args) {
    const options = parseOptions(args, {
      id: { type: 'string' },
      level: { type: 'string', default: 'model' },
      studies: { type: 'string', default: STUDIES_DIR },
    });
    const id = (options.id as string | undefined) ?? '';
    const level = options.level as string;
    const registry = resolve(options.studies as string);
    const shown = (path: string): string => relative(process.cwd(), path) || path;

    if (id === '') throw new UserError('missing study id: run make new-study ID=<id>, e.g. ID=smith2025 (first author and year)');
    if (!ID_PATTERN.test(id)) {
      const suggestion = suggestId(id);
      const hint = /[/\\]/.test(id) ? ' (a name, not a path; the folder is created in --studies DIR)' : suggestion ? ` (e.g. "${suggestion}")` : '';
      throw new UserError(`invalid study id ${JSON.stringify(id)}: expected ${ID_RULE}${hint}`);
    }
    if (level !== 'model' && level !== 'checkpoint') throw new UserError(`invalid --level ${JSON.stringify(level)}: expected "model" or "checkpoint"`);
    if (!isDirectory(registry)) throw new UserError(`registry folder ${shown(registry)} not found: expected a folder of studies such as studies/`);
    const folder = join(registry, id);
    if (existsSync(folder)) throw new UserError(`${shown(folder)} already exists: choose another id, or edit the study that is there`);

    const metadata = scaffoldMetadata(id, level);
    mkdirSync(folder);
    writeFileAtomic(join(folder, 'study.json'), formatJson(metadata));
    writeFileAtomic(join(folder, 'observations.csv'), formatCsv(expectedColumns(metadata.observations), []));

    const validate = registry === STUDIES_DIR ? 'make validate' : `make validate STUDIES=${shown(registry)}`;
    console.log(
      [
        `Created ${shown(join(folder, 'study.json'))} and ${shown(join(folder, 'observations.csv'))}.`,
        '',
        'Next steps (CONTRIBUTING.md has the details):',
        '  1. In study.json, replace every value that starts with "TODO" with the real one, and rename the ids',
        '     todo_corpus, todo_validation_set and todo_task. Add one entry per corpus, validation set and task;',
        '     "canonical" and "benchmark" are ids from studies/vocabulary.json. Delete the optional properties',
        '     whose TODO says "or delete this property" when the source does not give them.',
        `  2. Make the header of observations.csv match study.json: ${expectedColumns({ level, scaleVariables: metadata.observations.scaleVariables, validationSets: [], tasks: [] }).join(', ')},`,
        '     then loss:<validation set id> for each validation set and task:<task id> for each task.',
        '  3. Add one row per model (or checkpoint): losses as the validation set\'s unit says, accuracies as fractions',
        '     between 0 and 1 (0.87, not 87); leave a task cell empty where the model was not evaluated on it.',
        `  4. Run ${validate} and fix what it reports, until it prints "validate: ok".`,
      ].join('\n'),
    );
    return 0;
  },
};

/** The scaffold of study.json; every value starting with "TODO" tells the contributor what goes there. */
export function scaffoldMetadata(id: string, level: Level) {
  const observations = {
    file: 'observations.csv',
    level,
    ...(level === 'checkpoint'
      ? {
          checkpoints: {
            use: 'after-fraction',
            fraction: 0.1,
            why: 'TODO: why the curves use these checkpoints of each run (here: from 10% of the run onwards; "all" and "final" are the other rules, see CONTRIBUTING.md)',
          },
        }
      : {}),
    corpora: [{ id: 'todo_corpus', name: 'TODO: name of the pretraining corpus; rename the id too (it is the value of the corpus column)' }],
    scaleVariables: [
      { id: 'params', kind: 'parameters' as const, unit: 'count' as const },
      { id: 'tokens', kind: 'tokens' as const, unit: 'count' as const },
    ],
    validationSets: [
      {
        id: 'todo_validation_set',
        canonical: 'TODO: the matching id from validationSets in studies/vocabulary.json',
        name: 'TODO: name of the validation set; rename the id too (its CSV column is loss:<id>)',
        unit: 'TODO: how the loss column is given: "nats per token", "bits per byte" or "perplexity" (converted to nats), or delete this property for nats per token',
      },
    ],
    tasks: [
      {
        id: 'todo_task',
        name: 'TODO: name of the task; rename the id too (its CSV column is task:<id>)',
        benchmark: 'TODO: the matching id from benchmarks in studies/vocabulary.json',
        shots: 'TODO: number of in-context examples, e.g. 0 or 5',
        items: 'TODO: number of evaluated items, or delete this property if the source does not say',
        chance: 'TODO: accuracy of random guessing as a fraction, e.g. 0.25 for four answer options',
        metric: 'accuracy',
        unit: 'fraction',
        format: 'TODO: one of "multiple choice", "cloze", "schema", "language modeling", "question answering", "generation", "other"',
      },
    ],
  };
  return {
    $schema: '../../schemas/study.schema.json',
    schemaVersion: 1,
    id,
    title: "TODO: the paper's title",
    authors: ['TODO: one string per author in paper order (end with "et al." to shorten a long list)'],
    year: 'TODO: year of publication, as a number such as 2025',
    venue: 'TODO: where it was published, e.g. "arXiv" or "ICLR 2025"',
    arxiv: 'TODO: arXiv id such as 2403.08540, or delete this property',
    doi: 'TODO: DOI such as 10.18653/v1/2025.findings-emnlp.877, or delete this property',
    provenance: {
      repository: 'TODO: https:// address of the data release the numbers come from',
      commit: 'TODO: git commit of that release (7 to 40 hex digits), or "none" when it is not a repository',
      files: ['TODO: each file of the release the numbers come from (its path in the release)'],
      licence: 'TODO: licence of the source data, e.g. MIT or CC-BY-4.0',
      importer: 'manual',
      derivation: 'TODO: in your own words, how each row and column of observations.csv was derived from those files',
    },
    harness: { name: 'TODO: evaluation harness that produced the accuracies, or delete harness', version: 'TODO: its version, or delete this property' },
    observations,
  };
}

/** A valid id close to what was typed, if there is an obvious one. */
function suggestId(id: string): string | undefined {
  const candidate = id
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 80);
  return candidate !== id && ID_PATTERN.test(candidate) ? candidate : undefined;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
