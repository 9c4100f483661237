/** Positive cases: the committed registry and the small good fixture ingest with zero problems. */
import { readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ID_PATTERN } from '../../pipeline/ingest/ids.ts';
import type { IngestResult } from '../../pipeline/ingest/ingest.ts';
import { SCHEMAS_DIR, STUDIES_DIR } from '../../pipeline/util/paths.ts';
import { copyRegistry, editText, GOOD_REGISTRY, makeTempDir, removeTempDirs, validate } from '../helpers/registry.ts';

describe('the committed studies/ registry', () => {
  let result: IngestResult & { lines: string[] };
  beforeAll(() => {
    result = validate(STUDIES_DIR);
  });

  it('ingests with zero problems', () => {
    expect(result.lines).toEqual([]);
  });

  it('yields every study folder, each with the records its study.json declares', () => {
    const folders = readdirSync(STUDIES_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(result.studies.map((s) => s.id)).toEqual(folders);
    for (const study of result.studies) {
      const declared = study.metadata.observations;
      if (declared) {
        expect(study.observations!.length, study.id).toBeGreaterThan(0);
        expect(study.files, study.id).toEqual([`${study.id}/study.json`, `${study.id}/${declared.file}`]);
        if (declared.level === 'checkpoint') expect([study.observations!.run?.length, study.observations!.step?.length, study.observations!.final?.length], study.id).toEqual(new Array(3).fill(study.observations!.length));
      }
      if (study.claims) expect(study.claims.labels, study.id).toHaveLength(study.claims.headline.total);
    }
  });
});

describe('the good fixture registry', () => {
  afterAll(removeTempDirs);

  it('passes with zero problems', () => {
    const { lines, studies } = validate(GOOD_REGISTRY);
    expect(lines).toEqual([]);
    expect(studies.map((s) => s.id)).toEqual(['synthetic-checkpoints', 'synthetic-claims', 'synthetic-models']);
  });

  it('reads rows, scale, losses and accuracies as numbers', () => {
    const models = validate(GOOD_REGISTRY).studies.find((s) => s.id === 'synthetic-models')!;
    const columns = models.observations!;
    expect(columns.length).toBe(4);
    expect(columns.model[2]).toBe('m3');
    expect(columns.scale.get('params')![2]).toBe(16_000_000);
    expect(columns.losses.get('code')![2]).toBe(2.6);
    expect(columns.accuracies.get('toy_cloze')![2]).toBe(0.61);
    expect(columns.run).toBeUndefined();
  });

  it('reads checkpoints with run, step and final', () => {
    const checkpoints = validate(GOOD_REGISTRY).studies.find((s) => s.id === 'synthetic-checkpoints')!;
    const { length, run, step, final } = checkpoints.observations!;
    expect(length).toBe(6);
    expect(Array.from({ length }, (_, i) => i).filter((i) => final![i]).map((i) => `${run![i]}@${step![i]}`)).toEqual(['r1@200', 'r2@200', 'r3@200']);
  });

  it('takes the vocabulary from the fallback folder when the registry has none', () => {
    const dir = copyRegistry();
    const elsewhere = makeTempDir('vocabulary-');
    renameSync(join(dir, 'vocabulary.json'), join(elsewhere, 'vocabulary.json'));
    expect(validate(dir, elsewhere).lines).toEqual([]);
    expect(validate(dir).lines).toEqual([expect.stringMatching(/vocabulary\.json: file not found: expected the vocabulary/)]);
  });

  it('accepts CRLF line ends, quoted cells and a missing final newline', () => {
    const dir = copyRegistry();
    editText(dir, 'synthetic-models/observations.csv', (t) => t.trimEnd().replace('m1,toyweb', '"m1","toyweb"').replace(/\n/g, '\r\n'));
    expect(validate(dir).lines).toEqual([]);
  });
});

describe('identifier rules', () => {
  it('the id pattern of ingest is the one of defs.schema.json', () => {
    const defs = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'defs.schema.json'), 'utf8'));
    expect(ID_PATTERN.source).toBe(defs.$defs.id.pattern);
  });
});
