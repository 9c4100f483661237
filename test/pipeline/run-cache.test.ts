import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reproduce } from '../../pipeline/reproduce.ts';
import { STUDIES_DIR } from '../../pipeline/util/paths.ts';
import { outputHashes, RUN_RECORD_FILE } from '../../pipeline/util/run-record.ts';
import { sha256 } from '../../pipeline/util/provenance.ts';
import { restoreRun, runKey, runKeyParts, storeRun } from '../../pipeline/util/run-cache.ts';
import { quickConfig } from '../helpers/fake-root.ts';
import { filesBelow } from '../helpers/files.ts';


let temp: string;
let fresh: string;
let written: string[];
let documents: unknown;
let hashes: Record<string, string>;

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'run-cache-'));
  fresh = join(temp, 'fresh');
  ({ written, documents, hashes } = await reproduce({ config: quickConfig(), studiesDir: STUDIES_DIR, outputsDir: fresh }));
}, 300_000);
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('the reproduce cache', () => {
  it('restores byte-identical outputs, replacing stale report figures, and the stored documents', () => {
    const cache = join(temp, 'cache');
    const key = runKey(runKeyParts(STUDIES_DIR, quickConfig()));
    expect(restoreRun(cache, key, join(temp, 'nothing'))).toBeUndefined();
    storeRun(cache, key, fresh, written, documents);
    const restored = join(temp, 'restored');
    writeFileSync(join(temp, 'placeholder'), '');
    cpSync(join(temp, 'placeholder'), join(restored, 'report', 'figures', 'stale.png'));
    const result = restoreRun<unknown>(cache, key, restored);
    expect(result?.extra).toEqual(JSON.parse(JSON.stringify(documents)));
    const expected = filesBelow(fresh);
    const actual = filesBelow(restored);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, bytes] of expected) expect(actual.get(name)!.equals(bytes), name).toBe(true);
    // The stored hashes stand in for hashing the restored files in the run record: they must be theirs.
    expect(result?.hashes).toEqual({ ...outputHashes(restored), [RUN_RECORD_FILE]: sha256(join(restored, RUN_RECORD_FILE)) });
  });

  it('stores the hashes the run record made instead of hashing again, and they are the stored files\' own', () => {
    const cache = join(temp, 'cache-with-hashes');
    const key = runKey(runKeyParts(STUDIES_DIR, quickConfig()));
    storeRun(cache, key, fresh, written.filter((path) => path !== join(fresh, RUN_RECORD_FILE)), documents, hashes);
    const restored = join(temp, 'restored-with-hashes');
    expect(restoreRun<unknown>(cache, key, restored)?.hashes).toEqual(outputHashes(restored));
  });

  it('keys on every study, the configuration and the code', () => {
    const registry = join(temp, 'registry');
    cpSync(STUDIES_DIR, registry, { recursive: true });
    const base = runKeyParts(registry, quickConfig());
    const study = readdirSync(registry).find((name) => statSync(join(registry, name)).isDirectory())!;
    const data = readdirSync(join(registry, study)).find((name) => name.endsWith('.csv') || name.endsWith('.json'))!;
    writeFileSync(join(registry, study, data), `${readFileSync(join(registry, study, data), 'utf8')}\n`);
    const edited = runKeyParts(registry, quickConfig());
    const changed = Object.keys(base).filter((part) => base[part] !== edited[part]);
    expect(changed).toEqual([`study ${study}`]);
    expect(runKey(edited)).not.toBe(runKey(base));
    const config = quickConfig();
    config.bootstrap.replicates += 1;
    expect(runKey(runKeyParts(registry, config))).not.toBe(runKey(edited));
    const code = join(temp, 'code');
    for (const part of ['pipeline', 'schemas', 'package-lock.json']) cpSync(join(STUDIES_DIR, '..', part), join(code, part), { recursive: true });
    const before = runKeyParts(registry, quickConfig(), code).code;
    writeFileSync(join(code, 'pipeline', 'util', 'paths.ts'), '// changed\n', { flag: 'a' });
    expect(runKeyParts(registry, quickConfig(), code).code).not.toBe(before);
  });
});
