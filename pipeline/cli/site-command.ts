/** `make site`: rewrite reports/index.html, reports/index.md, reports/versions/* and README.md's studies table from the published versions (no version is changed). */
import { relative, resolve } from 'node:path';
import { writeReadmeStudiesTable } from '../publish/readme-studies.ts';
import { writeSite } from '../publish/site.ts';
import { REPORTS_DIR, ROOT } from '../util/paths.ts';
import type { Command } from './command.ts';
import { parseOptions } from './options.ts';

export const siteCommand: Command = {
  summary: 'Rewrite the site of published versions (reports/index.html, index.md, versions/) and the README\'s studies table without publishing',
  help: 'Options:\n  --reports DIR  where versions are kept (default reports/)',
  async run(args) {
    const options = parseOptions(args, { reports: { type: 'string', default: REPORTS_DIR } });
    const reports = resolve(options.reports as string);
    const written = [...writeSite(reports, ROOT), ...writeReadmeStudiesTable(ROOT, reports)];
    console.log(`site: wrote ${written.map((p) => relative(process.cwd(), p) || p).join(', ')}`);
    return 0;
  },
};
