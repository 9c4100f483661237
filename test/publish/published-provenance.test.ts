/**
 * Every published version names the commit it was made from; that commit must be in this
 * repository's history, or its "which code produced each number" resolves nowhere (a version
 * published from a commit that was later rebased before landing).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishedVersions, versionDirName } from '../../pipeline/publish/versions.ts';
import { REPORTS_DIR, ROOT } from '../../pipeline/util/paths.ts';

const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
const history = git('rev-parse', '--is-shallow-repository');
// Without git history (an exported tree) or with a shallow clone, ancestry cannot be checked.
const checkable = history.status === 0 && history.stdout.trim() === 'false';

describe('published versions', () => {
  it.runIf(checkable)('each was made from a commit in this repository’s history (skipped: no full git history here)', () => {
    const orphans = publishedVersions(REPORTS_DIR).filter((version) => {
      const manifest = JSON.parse(readFileSync(join(REPORTS_DIR, versionDirName(version), 'manifest.json'), 'utf8')) as { git?: { commit?: string } };
      const commit = manifest.git?.commit;
      return commit !== undefined && git('merge-base', '--is-ancestor', commit, 'HEAD').status !== 0;
    });
    expect(orphans).toEqual([]);
  });
});
