/**
 * Negative cases: each is the good fixture registry with one mutation, and the exact problems
 * `make validate` must print for it (as substrings of the formatted lines, including the file and
 * the line:column or JSON pointer). The number of problems must match too, so a mistake is reported
 * once, where it is, and does not cascade into other files.
 */
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sortProblems } from '../../pipeline/ingest/problems.ts';
import { copyRegistry, editJson, editText, readText, removeTempDirs, setCell, validate, writeText } from '../helpers/registry.ts';

const M = 'synthetic-models';
const C = 'synthetic-checkpoints';
const L = 'synthetic-claims';
const MJ = `${M}/study.json`;
const MC = `${M}/observations.csv`;
const CC = `${C}/observations.csv`;
const LJ = `${L}/claims.json`;

type Mutation = (dir: string) => void;
/** [name, mutation, expected problems (substrings of the formatted lines, one per problem)] */
type Case = [string, Mutation, string[]];

const dropLastColumn = (text: string): string =>
  text
    .split('\n')
    .map((line) => line.split(',').slice(0, -1).join(','))
    .join('\n');

/** Append a column named `name` with `value` in every row. */
const addColumn = (name: string, value: string) => (text: string): string =>
  text
    .split('\n')
    .map((line, i) => (line === '' ? line : `${line},${i === 0 ? name : value}`))
    .join('\n');

const cases: Case[] = [
  // Text and syntax
  ['empty CSV file', (d) => writeText(d, MC, ''), [`${MC}: file is empty (0 bytes)`]],
  ['empty study.json', (d) => writeText(d, MJ, ''), [`${MJ}: file is empty (0 bytes)`]],
  ['UTF-8 byte-order mark in study.json', (d) => editText(d, MJ, (t) => `\uFEFF${t}`), [`${MJ}:1:1: file starts with a UTF-8 byte-order mark`]],
  ['UTF-8 byte-order mark in a CSV', (d) => editText(d, MC, (t) => `\uFEFF${t}`), [`${MC}:1:1: file starts with a UTF-8 byte-order mark`]],
  ['Latin-1 byte in a CSV', (d) => writeText(d, MC, Buffer.from(readText(d, MC).replace('m2,', 'm\u00e92,'), 'latin1')), [`${MC}:3:2: file is not valid UTF-8 (byte 0xE9`]],
  ['missing study.json', (d) => rmSync(join(d, C, 'study.json')), [`${C}/study.json: file not found: every study folder needs a study.json`]],
  ['malformed JSON: missing comma', (d) => editText(d, MJ, (t) => t.replace('ingest tests",', 'ingest tests"')), [`${MJ}:6:3: malformed JSON: expected ',' or '}' after the value of "title", found '"' (a comma is probably missing`]],
  ['malformed JSON: trailing comma', (d) => editText(d, LJ, (t) => t.replace('"noisy" }', '"noisy" },')), [`${LJ}:10:3: malformed JSON: expected a value, found ']' (JSON does not allow a comma after the last element)`]],
  ['malformed JSON: NaN literal', (d) => editText(d, MJ, (t) => t.replace('"year": 2025', '"year": NaN')), [`${MJ}:7:11: malformed JSON: expected a value (object, array, string, number, true, false or null), found NaN (JSON has no NaN`]],
  ['malformed JSON: truncated', (d) => editText(d, MJ, (t) => t.slice(0, t.lastIndexOf('}'))), [`${MJ}:34:1: malformed JSON: expected ',' or '}' after the value of "observations", found end of file (the '{' on line 1 is never closed)`]],
  ['duplicate JSON property', (d) => editText(d, MJ, (t) => t.replace('  "authors"', '  "title": "Again",\n  "authors"')), [`${MJ}: /title: duplicate property "title" (lines 5 and 6)`]],
  ['__proto__ in study.json', (d) => editText(d, MJ, (t) => t.replace('"schemaVersion": 1,', '"schemaVersion": 1,\n  "__proto__": { "polluted": true },')), [`${MJ}: /__proto__: property "__proto__" is not allowed`]],
  // Schema
  ['wrong type', (d) => editJson(d, MJ, (j) => void (j.year = '2025')), [`${MJ}: /year: must be an integer (a whole number); found "2025"`]],
  ['missing required property', (d) => editJson(d, MJ, (j) => void delete j.provenance.licence), [`${MJ}: /provenance: missing required property "licence"`]],
  ['unexpected property', (d) => editJson(d, MJ, (j) => void (j.titel = 'typo')), [`${MJ}: /titel: unexpected property "titel" (not in the schema`]],
  ['neither observations nor claims', (d) => editJson(d, MJ, (j) => void delete j.observations), [`${MJ}: /: missing required property: needs either "observations" or "claims"`]],
  ['chance accuracy of 1', (d) => editJson(d, MJ, (j) => void (j.observations.tasks[0].chance = 1)), [`${MJ}: /observations/tasks/0/chance: must be less than 1; found 1`]],
  ['study id ../x', (d) => editJson(d, MJ, (j) => void (j.id = '../x')), [`${MJ}: /id: must be a lower-case id: letters, digits, '_', '-' and '.'`, `${MJ}: /id: id must equal the folder name "${M}", found "../x"`]],
  ['study id not the folder name', (d) => editJson(d, MJ, (j) => void (j.id = 'other-models')), [`${MJ}: /id: id must equal the folder name "${M}", found "other-models"`]],
  ['folder name not an id', (d) => renameSync(join(d, C), join(d, 'Synthetic Checkpoints')), [`/Synthetic Checkpoints: study folder name must be a lower-case id`]],
  ['placeholder left in', (d) => editJson(d, MJ, (j) => void (j.venue = 'TODO: where it was published')), [`${MJ}: /venue: still a placeholder from make new-study: replace it with where it was published`]],
  // Semantics of study.json
  ['unknown canonical validation set', (d) => editJson(d, MJ, (j) => void (j.observations.validationSets[1].canonical = 'synthetic-mail')), [`${MJ}: /observations/validationSets/1/canonical: unknown canonical validation set "synthetic-mail": expected an id from the validationSets of vocabulary.json`]],
  ['unknown benchmark', (d) => editJson(d, MJ, (j) => void (j.observations.tasks[1].benchmark = 'toy_qa')), [`${MJ}: /observations/tasks/1/benchmark: unknown benchmark "toy_qa": expected an id from the benchmarks of vocabulary.json`]],
  ['duplicate task id', (d) => editJson(d, MJ, (j) => void j.observations.tasks.push(j.observations.tasks[0])), [`${MJ}: /observations/tasks/2/id: duplicate task "toy_mc" (also at /observations/tasks/0)`]],
  ['vocabulary alias naming two benchmarks', (d) => editJson(d, 'vocabulary.json', (j) => { j.benchmarks[0].aliases = ['Toy']; j.benchmarks[1].aliases = ['toy']; }), [`vocabulary.json: /benchmarks/1/aliases/0: alias "toy" already names "toy_mc"`]],
  ['vocabulary alias equal to another id', (d) => editJson(d, 'vocabulary.json', (j) => void (j.benchmarks[1].aliases = ['TOY_MC'])), [`vocabulary.json: /benchmarks/1/aliases/0: alias "TOY_MC" already names "toy_mc"`]],
  ['duplicate vocabulary id', (d) => editJson(d, 'vocabulary.json', (j) => void j.benchmarks.push({ id: 'toy_mc', name: 'Again' })), [`vocabulary.json: /benchmarks/2/id: duplicate benchmark "toy_mc"`]],
  // CSV structure
  ['ragged row (a cell short)', (d) => editText(d, MC, (t) => t.replace(',0.31,0.55', ',0.31')), [`${MC}:3:40: expected 8 cells (one per header column), found 7`]],
  ['ragged row (a cell too many)', (d) => editText(d, MC, (t) => t.replace(',0.38,0.61', ',0.38,0.61,0.9')), [`${MC}:4:48: expected 8 cells (one per header column), found 9`]],
  ['unterminated quote', (d) => editText(d, MC, (t) => t.replace('m3,', '"m3,')), [`${MC}:4:1: unterminated quoted cell: expected a closing '"'`]],
  ['undeclared column', (d) => editText(d, MC, addColumn('seed', '1')), [`${MC}:1:74: undeclared column "seed"`]],
  ['space in a column name', (d) => editText(d, MC, (t) => t.replace('model,corpus', 'model, corpus')), [`${MC}:1:7: column name " corpus" has spaces around it; expected "corpus"`]],
  ['declared task column missing', (d) => editText(d, MC, dropLastColumn), [`${MC}:1:58: missing column "task:toy_cloze": expected in the header because study.json declares it (/observations/tasks/1)`]],
  ['fewer than 3 models', (d) => editText(d, MC, (t) => t.split('\n').slice(0, 3).join('\n')), [`${MC}: expected at least 3 models (one row each) to fit a curve, found 2`]],
  // CSV cells
  ['non-numeric cell', (d) => setCell(d, MC, 2, 'loss:web', 'abc'), [`${MC}:2:28: loss:web must be a number (or leave the cell empty if it was not evaluated), found "abc"`]],
  ['a blank (spaces only) task cell is malformed, not "not evaluated"', (d) => setCell(d, MC, 2, 'task:toy_mc', '  '), [`${MC}:2:36: task:toy_mc must be a number, found an empty cell`]],
  ['an empty scale cell where a derived x needs it is fine at ingest', (d) => setCell(d, MC, 2, 'tokens', ''), []],
  ['bits per byte above 16', (d) => { editJson(d, MJ, (j) => void (j.observations.validationSets[0].unit = 'bits per byte')); setCell(d, MC, 3, 'loss:web', '17'); }, [`${MC}:3:28: loss:web must be in bits per byte (the unit study.json declares), greater than 0 and at most 16; found 17`]],
  ['perplexity below 1', (d) => { editJson(d, MJ, (j) => void (j.observations.validationSets[0].unit = 'perplexity')); setCell(d, MC, 2, 'loss:web', '0.5'); }, [`${MC}:2:28: loss:web must be a perplexity (the unit study.json declares), at least 1`]],
  ['unknown loss unit', (d) => editJson(d, MJ, (j) => void (j.observations.validationSets[0].unit = 'bits per token')), [`${MJ}: /observations/validationSets/0/unit: must be one of`]],
  ['declared x names a missing validation set', (d) => editJson(d, MJ, (j) => void (j.observations.x = { kind: 'loss', set: 'mail', why: 'test' })), [`${MJ}: /observations/x/set: expected the id of one of observations.validationSets (web, code), found "mail"`]],
  ['declared x of kind loss without a set', (d) => editJson(d, MJ, (j) => void (j.observations.x = { kind: 'loss', why: 'test' })), [`${MJ}: /observations/x: missing required property "set"`]],
  ['log-compute x without a tokens variable', (d) => editJson(d, MJ, (j) => { j.observations.x = { kind: 'log-compute', why: 'test' }; j.observations.scaleVariables[1].kind = 'step'; }), [`${MJ}: /observations/x/kind: x of kind "log-compute" needs exactly one scale variable of kind "tokens" in observations.scaleVariables, found 0`]],
  ['no validation set and no declared x', (d) => editJson(d, MJ, (j) => void (j.observations.validationSets = [])), [`${MJ}: /observations: missing required property "x"`]],
  ['checkpoint level without a checkpoint rule', (d) => editJson(d, `${C}/study.json`, (j) => void delete j.observations.checkpoints), [`${C}/study.json: /observations: missing required property "checkpoints"`]],
  ['checkpoint rule after-fraction without a fraction', (d) => editJson(d, `${C}/study.json`, (j) => void (j.observations.checkpoints = { use: 'after-fraction', why: 'test' })), [`${C}/study.json: /observations/checkpoints: missing required property "fraction"`]],
  ['accuracy 1.7', (d) => setCell(d, MC, 3, 'task:toy_mc', '1.7'), [`${MC}:3:36: task:toy_mc must be an accuracy as a fraction between 0 and 1, found 1.7`]],
  ['accuracy 87 (a percentage)', (d) => setCell(d, MC, 4, 'task:toy_mc', '87'), [`${MC}:4:38: task:toy_mc must be an accuracy as a fraction between 0 and 1, found 87 (looks like a percentage: write 0.87)`]],
  ['NaN cell', (d) => setCell(d, MC, 5, 'loss:code', 'NaN'), [`${MC}:5:35: loss:code must be a finite number, found NaN`]],
  ['Infinity cell', (d) => setCell(d, MC, 2, 'tokens', 'Infinity'), [`${MC}:2:19: tokens must be a finite number, found Infinity`]],
  ['negative loss', (d) => setCell(d, MC, 3, 'loss:code', '-0.5'), [`${MC}:3:32: loss:code must be a cross-entropy in nats per token, greater than 0 and at most 20; found -0.5`]],
  ['duplicate model id', (d) => setCell(d, MC, 4, 'model', 'm2'), [`${MC}:4:1: duplicate model id "m2" (first on line 3)`]],
  ['undeclared corpus', (d) => setCell(d, MC, 2, 'corpus', 'toy'), [`${MC}:2:4: corpus must be one of the declared corpora (toyweb), found "toy"`]],
  ['two final checkpoints in a run', (d) => setCell(d, CC, 2, 'final', 'true'), [`${CC}:3:22: run "r1" already has a final checkpoint (line 2)`]],
  ['run without a final checkpoint', (d) => setCell(d, CC, 5, 'final', 'false'), [`${CC}:4:15: run "r2" has no final checkpoint`, `${CC}: expected at least 3 runs with a final checkpoint (final = true) to fit a curve, found 2`]],
  ['step not a whole number', (d) => setCell(d, CC, 4, 'step', '150.5'), [`${CC}:4:18: step must be a non-negative whole number, found 150.5`]],
  // Claims
  ['claims about a missing task', (d) => editJson(d, LJ, (j) => void (j.labels[1].task = 'toy_qa')), [`${LJ}: /labels/1/task: expected a task id of ${M}, found "toy_qa"`]],
  ['claims headline count not matching the labels', (d) => editJson(d, LJ, (j) => void (j.headline.count = 2)), [`${LJ}: /headline/count: headline count must equal the number of labels with behaviour "predictable" (1), found 2`]],
  ['claims headline total not matching the labels', (d) => editJson(d, LJ, (j) => void (j.headline.total = 3)), [`${LJ}: /headline/total: headline total must equal the number of labels (2), found 3`]],
  ['claims about an unknown study', (d) => editJson(d, LJ, (j) => void (j.about = 'nobody')), [`${LJ}: /about: expected the id of a study with observations in this registry (${C}, ${M}), found "nobody"`]],
  ['claims x not a validation set of the subject', (d) => editJson(d, LJ, (j) => void (j.x = 'mail')), [`${LJ}: /x: expected a validation set id of ${M} (web, code), found "mail"`]],
];

describe('each negative fixture fails with the expected message and location', () => {
  afterAll(removeTempDirs);

  it.each(cases)('%s', (_name, mutate, expected) => {
    const dir = copyRegistry();
    mutate(dir);
    const { lines, problems } = validate(dir);
    for (const substring of expected) expect(lines.some((line) => line.includes(substring)), `no problem contains\n  ${substring}\ngot\n  ${lines.join('\n  ')}`).toBe(true);
    expect(lines, 'one problem per mistake, no cascades').toHaveLength(expected.length);
    expect(problems).toEqual(sortProblems(problems));
  });

  it('has at least 15 distinct negative cases', () => {
    expect(new Set(cases.map(([name]) => name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it('does not call 1.7 a percentage when 1.7% would be far below chance', () => {
    const dir = copyRegistry();
    setCell(dir, MC, 3, 'task:toy_mc', '1.7');
    expect(validate(dir).lines.join('\n')).not.toMatch(/percentage/);
  });
});

describe('all problems are reported at once, sorted and deterministic', () => {
  afterAll(removeTempDirs);

  it('reports two bad cells of one file as two problems', () => {
    const dir = copyRegistry();
    setCell(dir, MC, 2, 'task:toy_cloze', '1.7');
    setCell(dir, MC, 4, 'loss:web', 'NaN');
    const { lines } = validate(dir);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`${MC}:2:41: task:toy_cloze`);
    expect(lines[1]).toContain(`${MC}:4:30: loss:web must be a finite number, found NaN`);
  });

  it('checks the cells of declared columns even when the header is wrong', () => {
    const dir = copyRegistry();
    editText(dir, MC, dropLastColumn);
    setCell(dir, MC, 3, 'task:toy_mc', '87');
    const { lines } = validate(dir);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`${MC}:1:58: missing column "task:toy_cloze"`);
    expect(lines[1]).toContain(`${MC}:3:36: task:toy_mc`);
  });

  it('reports problems of several files in one run, ordered by file, then position', () => {
    const dir = copyRegistry();
    setCell(dir, CC, 7, 'loss:web', '-1');
    setCell(dir, CC, 2, 'task:toy_mc', 'x');
    editJson(dir, LJ, (j) => void (j.headline.count = 0));
    editJson(dir, MJ, (j) => void (j.year = 1900));
    editJson(dir, 'vocabulary.json', (j) => void (j.extra = true));
    const first = validate(dir);
    expect(first.lines).toHaveLength(5);
    const files = first.local.map((line) => /^[^:]+/.exec(line)![0]);
    expect(files).toEqual([CC, CC, LJ, MJ, 'vocabulary.json']);
    expect(first.local[0]).toMatch(/^synthetic-checkpoints\/observations.csv:2:\d+: task:toy_mc must be a number \(or leave the cell empty if it was not evaluated\), found "x"/);
    expect(first.local[1]).toMatch(/^synthetic-checkpoints\/observations.csv:7:\d+: loss:web must be a cross-entropy/);
    expect(first.problems).toEqual(sortProblems(first.problems));
    expect(validate(dir).lines).toEqual(first.lines);
  });

  it('caps a systematically broken file and says how many more there are', () => {
    const dir = copyRegistry();
    const header = readText(dir, MC).split('\n')[0]!;
    const rows = Array.from({ length: 60 }, (_, i) => `x${i},toyweb,1,1,1,1,87,0.5`);
    writeText(dir, MC, [header, ...rows, ''].join('\n'));
    const { lines } = validate(dir);
    expect(lines).toHaveLength(51);
    expect(lines[50]).toMatch(/observations\.csv: \.\.\. and 10 more problems in this file/);
  });
});

describe('the registry folder itself', () => {
  afterAll(removeTempDirs);

  it('rejects a study folder passed where a registry is expected', () => {
    const { lines } = validate(join(copyRegistry(), M));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/synthetic-models: expected a registry \(a folder of study folders\), found a single study folder/);
  });

  it('rejects a registry without studies', () => {
    const dir = copyRegistry();
    for (const study of [M, C, L]) rmSync(join(dir, study), { recursive: true });
    expect(validate(dir).lines).toEqual([expect.stringMatching(/: expected at least one study folder \(<id>\/study.json\), found none/)]);
  });

  it('rejects a missing folder', () => {
    expect(validate(join(copyRegistry(), 'nope')).lines).toEqual([expect.stringMatching(/nope: expected a folder of studies/)]);
  });
});
