/**
 * The site of published versions, built from a temporary copy of the committed reports/ (the
 * published folders in the repository are never written): every version is listed, every version
 * page links to the previous one, and every relative link of every page resolves to a file.
 */
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studyHeadlines, writeSite } from '../../pipeline/publish/site.ts';
import { publishedVersions } from '../../pipeline/publish/versions.ts';
import type { Reproduction } from '../../pipeline/report/reproduction.ts';
import { REPORTS_DIR, ROOT } from '../../pipeline/util/paths.ts';
import { makeTempDir, removeTempDirs } from '../report/fixtures.ts';

let reports: string;
let written: string[];
beforeAll(() => {
  reports = join(makeTempDir('site-'), 'reports');
  cpSync(REPORTS_DIR, reports, { recursive: true });
  written = writeSite(reports, ROOT);
});
afterAll(removeTempDirs);

/** Relative link targets of an HTML or Markdown page (no scheme, no pure anchors). */
function relativeLinks(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const links = path.endsWith('.html') ? [...text.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!) : [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  return links.filter((l) => !/^[a-z]+:/i.test(l) && !l.startsWith('#')).map((l) => decodeURI(l.split('#')[0]!));
}

describe('site of published versions', () => {
  it('lists every published version in index.html and index.md, newest first', () => {
    const versions = publishedVersions(reports);
    expect(versions.length).toBeGreaterThan(0);
    for (const name of ['index.html', 'index.md']) {
      const text = readFileSync(join(reports, name), 'utf8');
      const positions = versions.map((v) => text.indexOf(`versions/v${v}.`));
      expect(positions.every((p) => p >= 0), name).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    }
  });

  it('gives every version a page that links to its report and to the previous version', () => {
    const versions = publishedVersions(reports);
    versions.forEach((version, i) => {
      const page = readFileSync(join(reports, 'versions', `v${version}.html`), 'utf8');
      expect(page).toContain(`href="../v${version}/report/report.html"`);
      if (i + 1 < versions.length) expect(page).toContain(`previous: <a href="v${versions[i + 1]}.html">`);
    });
  });

  it('every relative link of every page resolves, from the file system', () => {
    const broken: string[] = [];
    for (const page of written) {
      for (const link of relativeLinks(page)) if (!existsSync(resolve(dirname(page), link))) broken.push(`${page}: ${link}`);
    }
    expect(written.length).toBeGreaterThanOrEqual(2 + 2 * publishedVersions(reports).length);
    expect(broken).toEqual([]);
  });

  it('writes only the site files, never into a published version folder', () => {
    for (const path of written) expect(path.startsWith(join(reports, 'index.')) || path.startsWith(join(reports, 'versions'))).toBe(true);
    expect(readdirSync(join(reports, 'versions')).sort()).toEqual(publishedVersions(reports).flatMap((v) => [`v${v}.html`, `v${v}.md`]).sort());
  });

  it('reads one headline per study when reproduction.json lists studies', () => {
    const doc = {
      study: 'a2024',
      claims: 'c2025',
      published: { predictable: 1, total: 4 },
      reproduced: { predictable: 2, total: 4, ci95: [0.25, 0.75] },
      studies: [
        { study: 'a2024', reproduced: { predictable: 2, total: 4 } },
        { study: 'b2024', predictable: 3, fitted: 5, ci95: [0.4, 0.8] },
      ],
    } as unknown as Reproduction;
    expect(studyHeadlines(doc).map((h) => h.study)).toEqual(['a2024', 'b2024']);
    expect(studyHeadlines(doc)[1]).toMatchObject({ predictable: 3, total: 5, interval: '40.0%–80.0%' });
  });
});
