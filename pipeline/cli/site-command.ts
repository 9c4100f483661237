/** `make site`: rewrite reports/index.html, reports/index.md and reports/versions/* from the published versions (no version is changed). */
import { relative, resolve } from 'node:path';
import { writeSite } from '../publish/site.ts';
import { REPORTS_DIR, ROOT } from '../util/paths.ts';
import type { Command } from './command.ts';
import { parseOptions } from './options.ts';

export const siteCommand: Command = {
  summary: 'Rewrite the site of published versions (reports/index.html, index.md, versions/) without publishing',
  help: 'Options:\n  --reports DIR  where versions are kept (default reports/)',
  async run(args) {
    const options = parseOptions(args, { reports: { type: 'string', default: REPORTS_DIR } });
    const written = writeSite(resolve(options.reports as string), ROOT);
    console.log(`site: wrote ${written.map((p) => relative(process.cwd(), p) || p).join(', ')}`);
    return 0;
  },
};
