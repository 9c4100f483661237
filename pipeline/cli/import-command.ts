/** `make import`: regenerate studies/ from the raw sources with the project's importers. */
import { resolve } from 'node:path';
import { runImporters } from '../import/run-importers.ts';
import { STUDIES_DIR } from '../util/paths.ts';
import type { Command } from './command.ts';
import { parseOptions } from './options.ts';
import { UserError } from '../util/errors.ts';

export const importCommand: Command = {
  summary: 'Re-create studies/<id>/ from the raw data releases (needs ../shared/sources)',
  help: 'Options:\n  --sources DIR  folder of raw sources (default ../shared/sources)\n  --out DIR      registry to write (default studies/)',
  async run(args) {
    const options = parseOptions(args, { sources: { type: 'string', default: '../shared/sources' }, out: { type: 'string', default: STUDIES_DIR } });
    try {
      const written = await runImporters(resolve(options.sources as string), resolve(options.out as string), (line) => console.log(line));
      console.log(`wrote ${written.length} files`);
    } catch (error) {
      if (error instanceof Error && /not found/.test(error.message)) throw new UserError(error.message);
      throw error;
    }
    return 0;
  },
};
