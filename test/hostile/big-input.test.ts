/**
 * Big or very broken input: the validator streams the CSV, caps the problems it keeps and prints per
 * file and overall (saying how many were left out), and reports the true number of problems.
 * Failed before the fix: ~3,000 rows of bad cells crashed with "Maximum call stack size exceeded"
 * (problems.push(...spread)); the summary counted only the capped list.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvRecordParser, MAX_RECORD_CHARS, parseCsvWithPositions, type CsvCell } from '../../pipeline/ingest/parse-csv.ts';
import { ProblemCollector, formatProblem } from '../../pipeline/ingest/problems.ts';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { fitStage } from '../../pipeline/fit/fit-stage.ts';
import { MAX_POINTS_PER_CURVE, writePoints } from '../../pipeline/fit/write-points.ts';
import { formatCsv, writeCsvAtomic } from '../../pipeline/util/files.ts';
import { datasetOf, flatTruth, predictableTruth, syntheticStudy } from '../helpers/synthetic-study.ts';
import { runCli, STACK_LINE } from '../helpers/cli.ts';
import { copyRegistry, editJson, makeTempDir, removeTempDirs, validate, writeText } from '../helpers/registry.ts';
import { writeLargeObservations } from './measure-validate-memory.ts';

afterAll(removeTempDirs);

const M = 'synthetic-models';
const TASKS = 46;

/** The good fixture with 46 declared tasks (its 2 and 44 more) and `rows` rows whose every cell after the model is not a number. */
function brokenRegistry(rows: number): string {
  const dir = copyRegistry();
  editJson(dir, `${M}/study.json`, (j) => {
    const template = j.observations.tasks[0];
    j.observations.tasks.push(...Array.from({ length: TASKS - 2 }, (_, i) => ({ ...template, id: `t${i}`, name: `Task ${i}` })));
  });
  const header = ['model', 'corpus', 'params', 'tokens', 'loss:web', 'loss:code', 'task:toy_mc', 'task:toy_cloze', ...Array.from({ length: TASKS - 2 }, (_, i) => `task:t${i}`)];
  const bad = Array.from({ length: header.length - 2 }, () => 'n/a').join(',');
  const lines = Array.from({ length: rows }, (_, r) => `m${r},toyweb,${bad}`);
  writeText(dir, `${M}/observations.csv`, `${header.join(',')}\n${lines.join('\n')}\n`);
  return dir;
}

describe('very broken input', () => {
  it('3,000 rows of bad cells: no crash, 50 problems listed, the rest counted', () => {
    const dir = brokenRegistry(3000);
    const result = validate(dir);
    const perRow = TASKS + 4;
    expect(result.problemCount).toBe(3000 * perRow);
    expect(result.lines).toHaveLength(51);
    expect(result.local[0]).toBe(`${M}/observations.csv:2:11: params must be a number, found "n/a"`);
    expect(result.local[50]).toBe(`${M}/observations.csv: ... and ${(3000 * perRow - 50).toLocaleString('en-US')} more problems in this file (fix the ones above and run again)`);
  });

  it('make validate prints the capped list and the true count, no stack', async () => {
    const dir = brokenRegistry(3000);
    const run = await runCli(['validate', '--studies', dir], 90_000);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(STACK_LINE);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(52);
    expect(lines.at(-1)).toBe('validate: 150,000 problems found; fix them and run make validate again');
  });
});

describe('problem caps', () => {
  it('keeps the first problems of each file in position order, whatever order they arrive in', () => {
    const collector = new ProblemCollector(3);
    for (const line of [9, 2, 7, 1, 8, 3, 3]) collector.add({ file: 'a.csv', line, column: 1, message: 'bad' });
    expect(collector.length).toBe(6);
    expect(collector.list(100, 'studies').map(formatProblem)).toEqual(['a.csv:1:1: bad', 'a.csv:2:1: bad', 'a.csv:3:1: bad', 'a.csv: ... and 3 more problems in this file (fix the ones above and run again)']);
  });

  it('caps the list overall and says how many more there are', () => {
    const collector = new ProblemCollector(50);
    for (let f = 0; f < 10; f++) for (let line = 1; line <= 30; line++) collector.add({ file: `f${f}.csv`, line, column: 1, message: 'bad' });
    const list = collector.list(200, 'studies');
    expect(list).toHaveLength(201);
    expect(formatProblem(list.at(-1)!)).toBe('studies: ... and 100 more problems not listed (at most 200 are shown; fix the ones above and run again)');
  });
});

describe('streaming', () => {
  it('the parser gives the same records and positions whatever the chunking', () => {
    const text = 'a,"b\n""c""",d\r\n\n1,"",3\r4,5,\n"x\n\ny",z,"q"';
    const whole = parseCsvWithPositions(text);
    for (const size of [1, 2, 3, 5, 7]) {
      const records: CsvCell[][] = [];
      const parser = new CsvRecordParser((cells) => records.push(cells));
      for (let i = 0; i < text.length; i += size) expect(parser.feed(text.slice(i, i + size))).toBeUndefined();
      expect(parser.end()).toBeUndefined();
      expect(whole.ok && [whole.table.header, ...whole.table.rows]).toEqual(records);
    }
  });

  it('a file several read chunks long validates completely, with every row counted', () => {
    const dir = copyRegistry();
    const csv = join(dir, M, 'observations.csv');
    const rows = writeLargeObservations(csv, 10 * 1024 * 1024);
    expect(statSync(csv).size).toBeGreaterThan(10 * 1024 * 1024);
    const result = validate(dir);
    expect(result.lines).toEqual([]);
    const study = result.studies.find((s) => s.id === M)!;
    expect(study.counts).toEqual({ rows, taskValues: 2 * rows });
    expect(study.observations!.length).toBe(rows);
    expect(study.observations!.model).toHaveLength(rows);
  });
});

describe('a row longer than any row can be', () => {
  it('a file without line breaks past the header (40 MB): one problem at the row, no crash', () => {
    // Failed before the fix: a 587 MB line grew one string past V8's limit ("RangeError: Invalid string length", 2.7 GB).
    const dir = copyRegistry();
    writeText(dir, `${M}/observations.csv`, `model,corpus,params,tokens,loss:web,loss:code,task:toy_mc,task:toy_cloze\nm1,${'x'.repeat(MAX_RECORD_CHARS + 7_000_000)}`);
    expect(validate(dir).local).toEqual([
      `${M}/observations.csv:2:1: the row starting here is longer than 33,554,432 characters; a row holds one model's values, so a line break is missing or a quote was left open`,
    ]);
  });
});

describe('large outputs are written in batches', () => {
  it('writeCsvAtomic (used for outputs/points.csv) writes the same bytes as formatCsv, whatever the batch size', () => {
    const header = ['task', 'model', 'x'];
    const rows = Array.from({ length: 10 }, (_, i) => [`t${i % 3}`, `m,${i}`, i / 7]);
    const dir = makeTempDir('csv-batches-');
    for (const batch of [1, 3, 10, 100]) {
      const path = join(dir, `points-${batch}.csv`);
      writeCsvAtomic(path, header, rows.values(), batch);
      expect(readFileSync(path, 'utf8')).toBe(formatCsv(header, rows));
    }
    writeCsvAtomic(join(dir, 'empty.csv'), header, []);
    expect(readFileSync(join(dir, 'empty.csv'), 'utf8')).toBe(formatCsv(header, []));
  });

  it('no write of a large CSV holds more than one batch in a string: earlier batches are on disk before the last row is made', () => {
    // Failed before the fix (one formatCsv string, then one write): nothing was on disk until every row was made.
    const dir = makeTempDir('csv-stream-');
    const rows = 25_000;
    let onDiskBeforeLastRow = -1;
    function* produce(): Generator<(string | number)[]> {
      for (let i = 0; i < rows; i++) {
        if (i === rows - 1) onDiskBeforeLastRow = readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
        yield [`task${i % 7}`, `model${i}`, i / 3];
      }
    }
    writeCsvAtomic(join(dir, 'points.csv'), ['task', 'model', 'x'], produce(), 1_000);
    const written = statSync(join(dir, 'points.csv')).size;
    // 24 of the 25 batches were written before the last row was asked for.
    expect(onDiskBeforeLastRow).toBeGreaterThan(0.9 * written);
    expect(onDiskBeforeLastRow).toBeLessThan(written);
    expect(readFileSync(join(dir, 'points.csv'), 'utf8').split('\n')).toHaveLength(rows + 2);
  });

  it(`points.csv keeps at most ${MAX_POINTS_PER_CURVE} points per curve however many the fit used, first and last x included`, () => {
    const n = 6_000;
    const study = syntheticStudy([
      { id: 'clear', truth: predictableTruth, items: 3000 },
      { id: 'flat', truth: flatTruth, items: 3000 },
    ], { n });
    const dataset = datasetOf(study);
    const sets = fitStage(dataset, loadConfig());
    const dir = makeTempDir('points-');
    const text = readFileSync(writePoints(dir, dataset, sets), 'utf8');
    const rows = text.trim().split('\n').slice(1).map((line) => line.split(','));
    const x = study.usable.axes.get(sets[0]!.axis.id)!;
    for (const task of ['clear', 'flat']) {
      const mine = rows.filter((row) => row[2] === task);
      expect(mine).toHaveLength(MAX_POINTS_PER_CURVE);
      expect(new Set(mine.map((row) => row[11]))).toEqual(new Set([String(n)]));
      const xs = mine.map((row) => Number(row[7]));
      expect(Math.min(...xs)).toBeCloseTo(Math.min(...x), 6);
      expect(Math.max(...xs)).toBeCloseTo(Math.max(...x), 6);
    }
  });
});
