/** The documentation's relative links point at files that exist, and the README leads to the latest report. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../pipeline/util/paths.ts';

const DOCUMENTS = ['README.md', 'CONTRIBUTING.md', 'ARCHITECTURE.md', 'reports/index.md'];

/** Relative link targets of a Markdown file (no scheme, no bare anchor), without their #fragment. */
function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'))
    .map((target) => target.split('#')[0]!);
}

describe('documentation links', () => {
  for (const document of DOCUMENTS.filter((d) => existsSync(join(ROOT, d)))) {
    it(`${document}: every relative link resolves`, () => {
      const links = relativeLinks(readFileSync(join(ROOT, document), 'utf8'));
      const broken = links.filter((target) => !existsSync(join(ROOT, dirname(document), target)));
      expect(broken).toEqual([]);
    });
  }

  it('the README links the index of published versions, which names the latest', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(relativeLinks(readme)).toContain('reports/index.md');
    const latest = JSON.parse(readFileSync(join(ROOT, 'reports', 'latest.json'), 'utf8')) as { version: string; report: string };
    const index = readFileSync(join(ROOT, 'reports', 'index.md'), 'utf8');
    expect(index).toContain(`Latest: **${latest.version}**: [report](${latest.report})`);
    expect(existsSync(join(ROOT, 'reports', latest.report))).toBe(true);
  });
});
