import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { validator } from '../../pipeline/util/schemas.ts';
import { reproduce } from '../../pipeline/reproduce.ts';
import { STUDIES_DIR } from '../../pipeline/util/paths.ts';
import { formatSortedJson } from '../../pipeline/util/files.ts';
import { ingestAndNormalize } from '../../pipeline/run.ts';

/** The committed configuration with fewer replicates, so the whole pipeline runs in seconds. */
function quickConfig() {
  const config = loadConfig();
  config.bootstrap.replicates = 60;
  config.sensitivity.replicates = 20;
  return config;
}

const dirs: string[] = [];
let first: string;
let second: string;

beforeAll(async () => {
  first = mkdtempSync(join(tmpdir(), 'reproduce-a-'));
  second = mkdtempSync(join(tmpdir(), 'reproduce-b-'));
  dirs.push(first, second);
  await reproduce({ config: quickConfig(), studiesDir: STUDIES_DIR, outputsDir: first });
  await reproduce({ config: quickConfig(), studiesDir: STUDIES_DIR, outputsDir: second });
}, 600_000); // two whole runs; generous because the machine is shared (speed is checked by make bench)

afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const csv = (dir: string, name: string) => Papa.parse<Record<string, string>>(readFileSync(join(dir, name), 'utf8'), { header: true, skipEmptyLines: true }).data;

describe('make reproduce', () => {
  it('writes byte-identical outputs on two runs', () => {
    const files = readdirSync(first).filter((name) => !name.startsWith('.')).sort();
    expect(files).toEqual(readdirSync(second).filter((name) => !name.startsWith('.')).sort());
    expect(files).toEqual(expect.arrayContaining(['points.csv', 'reproduction.json', 'sensitivity.csv', 'stability.csv', 'tasks.csv']));
    for (const name of files.filter((n) => /\.(csv|json)$/.test(n))) {
      expect({ name, same: readFileSync(join(first, name)).equals(readFileSync(join(second, name))) }).toEqual({ name, same: true });
    }
  });

  it('writes a reproduction.json that its schema accepts, with the published 18 of 46 beside ours', () => {
    const document = JSON.parse(readFileSync(join(first, 'reproduction.json'), 'utf8'));
    const validate = validator('reproduction');
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    expect(document.published).toMatchObject({ predictable: 18, total: 46, fraction: 0.3913 });
    expect(document.tasks).toHaveLength(46);
    expect(document.x).toBe('c4-validation');
    const [low, high] = document.reproduced.ci95;
    expect(low).toBeLessThanOrEqual(document.reproduced.fraction);
    expect(high).toBeGreaterThanOrEqual(document.reproduced.fraction);
  });

  it("keeps the headline study's top-level fields as in the committed snapshot (other studies do not change them)", async () => {
    // `studies` holds every study of the registry, so it is left out: the snapshot must not depend on which studies there are.
    const { studies, ...headline } = JSON.parse(readFileSync(join(first, 'reproduction.json'), 'utf8'));
    expect(Array.isArray(studies)).toBe(true);
    await expect(formatSortedJson(headline)).toMatchFileSnapshot('__snapshots__/reproduction.json');
  });

  it('has one tasks.csv row per study and task, agreeing with reproduction.json for every study', () => {
    const document = JSON.parse(readFileSync(join(first, 'reproduction.json'), 'utf8'));
    const rows = csv(first, 'tasks.csv');
    const { ingest } = ingestAndNormalize(STUDIES_DIR);
    const withData = ingest.studies.filter((s) => s.metadata.observations);
    expect(document.studies.map((e: { study: string }) => e.study)).toEqual(withData.map((s) => s.id).sort());
    for (const entry of document.studies) {
      const mine = rows.filter((r) => r.study === entry.study);
      expect(mine.map((r) => r.task)).toEqual(entry.taskResults.map((t: { task: string }) => t.task));
      expect(mine.filter((r) => r.label === 'predictable')).toHaveLength(entry.predictable);
      expect(mine.filter((r) => r.label !== 'insufficient data')).toHaveLength(entry.fitted);
      for (const row of mine) expect(row.x).toBe(entry.x.axis);
    }
    const headline = rows.filter((r) => r.study === document.study);
    expect(headline.filter((r) => r.label === 'predictable')).toHaveLength(document.reproduced.predictable);
    // Every registry study has a row in registry.csv.
    expect(csv(first, 'registry.csv').map((r) => r.study)).toEqual(document.studies.map((e: { study: string }) => e.study));
  });

  it('reports the headline as the sensitivity row of the default choices', () => {
    const document = JSON.parse(readFileSync(join(first, 'reproduction.json'), 'utf8'));
    const defaults = csv(first, 'sensitivity.csv').filter((r) => r.study === document.study && r.is_default === 'true');
    expect(defaults.length).toBeGreaterThan(5);
    for (const row of defaults) {
      expect({ choice: row.choice, value: row.value, predictable: Number(row.predictable), ci: [Number(row.ci_low), Number(row.ci_high)] }).toEqual({
        choice: row.choice,
        value: row.value,
        predictable: document.reproduced.predictable,
        ci: document.reproduced.ci95,
      });
    }
  });

  it('gives every task label shares that sum to one', () => {
    for (const row of csv(first, 'stability.csv')) {
      const sum = Object.entries(row).filter(([key]) => key.startsWith('share_')).reduce((total, [, value]) => total + Number(value), 0);
      expect(sum).toBeCloseTo(1, 3);
      expect(row.stable).toBe(String(Number(row.winner_share) >= 0.8));
    }
  });
});
