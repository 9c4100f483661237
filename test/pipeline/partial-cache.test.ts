/**
 * When one study changes, make reproduce (without FRESH=1) reads every other study's bootstrap jobs
 * and charts from the cache, and its outputs are byte-identical to a fresh run's.
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reproduce } from '../../pipeline/reproduce.ts';
import { STUDIES_DIR } from '../../pipeline/util/paths.ts';
import { RUN_RECORD_FILE } from '../../pipeline/util/run-record.ts';
import { writeContributedStudy } from '../helpers/contributed-study.ts';
import { quickConfig } from '../helpers/fake-root.ts';
import { filesBelow } from '../helpers/files.ts';
import { makeTempDir, removeTempDirs } from '../helpers/registry.ts';

afterAll(removeTempDirs);


describe('the bootstrap and chart caches', () => {
  it('read everything a registry with one study fewer needs, with outputs identical to a fresh run', async () => {
    const temp = makeTempDir('partial-cache-');
    const registry = join(temp, 'registry');
    cpSync(STUDIES_DIR, registry, { recursive: true });
    const contributed = writeContributedStudy(registry);
    const cache = { dir: join(temp, 'cache'), codeVersion: 'test' };
    await reproduce({ config: quickConfig(), studiesDir: registry, outputsDir: join(temp, 'with'), cache });
    // The contribution withdrawn: every job and chart the registry still needs was made by the run above.
    rmSync(join(registry, contributed), { recursive: true });
    const log: string[] = [];
    await reproduce({ config: quickConfig(), studiesDir: registry, outputsDir: join(temp, 'cached'), cache, log: (line) => log.push(line) });
    await reproduce({ config: quickConfig(), studiesDir: registry, outputsDir: join(temp, 'fresh') });

    expect(log.find((line) => line.startsWith('cache: '))).toMatch(/^cache: [1-9]\d* bootstrap jobs unchanged since the last run were read, 0 computed$/);
    expect(log.find((line) => line.includes('chart cache'))).toMatch(/^report: drew \d+ charts, [1-9]\d* unchanged from the chart cache$/);
    const expected = filesBelow(join(temp, 'fresh'));
    const actual = filesBelow(join(temp, 'cached'));
    expected.delete(RUN_RECORD_FILE);
    actual.delete(RUN_RECORD_FILE);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, bytes] of expected) expect(actual.get(name)!.equals(bytes), name).toBe(true);
  }, 600_000);
});
