/**
 * The README's studies table is generated from a published version's registry tables: a fixture
 * version gives the expected rows, and the committed README matches the latest published version.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { README_TABLE_END, README_TABLE_START, readmeWithStudiesTable, studiesTableMarkdown } from '../../pipeline/publish/readme-studies.ts';
import { formatCsv } from '../../pipeline/util/files.ts';
import { REPORTS_DIR, ROOT } from '../../pipeline/util/paths.ts';
import { makeTempDir, removeTempDirs } from '../helpers/registry.ts';

afterAll(removeTempDirs);

function fixtureVersion(reports: string, version: string): string {
  const dir = join(reports, `v${version}`);
  mkdirSync(dir, { recursive: true });
  const header = ['study', 'level', 'x', 'x_canonical', 'x_unit', 'n_tasks', 'n_fitted', 'predictable', 'fraction', 'ci_low', 'ci_high', 'n_runs', 'n_checkpoints', 'n_points'];
  writeFileSync(
    join(dir, 'registry.csv'),
    formatCsv(header, [
      ['alpha', 'model', 'loss:val', 'val', 'nats per token', 10, 9, 3, 0.3333, 0.1111, 0.5556, 40, 50, 40],
      ['beta|x', 'checkpoint', 'log-tokens', 'log-tokens', 'ln(10^14 / training tokens)', 5, 0, 0, '', '', '', 3, 90, 90],
    ]),
  );
  writeFileSync(join(dir, 'registry-pooled.csv'), formatCsv(['studies', 'share', 'ci_low', 'ci_high', 'i2'], [[1, 0.3333, 0.1111, 0.5556, 0]]));
  return dir;
}

describe('README studies table', () => {
  it('has one row per study of the version, with shares as percentages and the pooled estimate', () => {
    const reports = makeTempDir('readme-table-');
    const table = studiesTableMarkdown(fixtureVersion(reports, '2.1.0'), '2.1.0');
    expect(table).toContain('published report v2.1.0 (`reports/v2.1.0/registry.csv`)');
    // 40 of the 50 models have this x.
    expect(table).toContain('| alpha | model | 40 | 40 of 50 | 9 of 10 | loss:val | 3 | 33.3% (11.1%–55.6%) |');
    // A derived x says how it is computed; a "|" in a value stays inside its cell; no fitted task, no share.
    expect(table).toContain('| beta\\|x | checkpoint | 3 | 90 | 0 of 5 | log-tokens (ln(10^14 / training tokens)) | 0 | none fitted |');
    expect(table).toContain('Pooled over the 1 studies (random effects on the logit share, DerSimonian–Laird): 33.3%, 95% interval 11.1%–55.6%, I² = 0.0%.');
  });

  it('replaces only the block between the markers, from the newest version', () => {
    const reports = makeTempDir('readme-table-');
    fixtureVersion(reports, '1.0.0');
    fixtureVersion(reports, '1.10.0');
    const readme = `# Title\n\nbefore\n${README_TABLE_START}\nstale\n${README_TABLE_END}\nafter\n`;
    const updated = readmeWithStudiesTable(readme, reports);
    expect(updated.startsWith(`# Title\n\nbefore\n${README_TABLE_START}\nMeasured`)).toBe(true);
    expect(updated).toContain('v1.10.0');
    expect(updated).not.toContain('stale');
    expect(updated.endsWith(`${README_TABLE_END}\nafter\n`)).toBe(true);
    expect(readmeWithStudiesTable(updated, reports)).toBe(updated);
    expect(readmeWithStudiesTable('# no markers\n', reports)).toBe('# no markers\n');
  });

  it('the committed README shows the latest published version (make site rewrites it)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(README_TABLE_START);
    expect(readmeWithStudiesTable(readme, REPORTS_DIR)).toBe(readme);
  });
});
