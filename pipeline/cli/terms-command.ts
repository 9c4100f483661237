/** `terms`: print every word the report uses with its meaning, or the meaning of each column of a CSV file in outputs/. */
import { columnMeaning, glossary, labels } from '../classify/labels.ts';
import type { Command } from './command.ts';
import { UserError } from '../util/errors.ts';
import { parseOptions } from './options.ts';

export const termsCommand: Command = {
  summary: 'Print the words the report uses and their meanings (or the columns of one output CSV)',
  help: 'Options:\n  --columns FILE  the meaning of each documented column of outputs/FILE (e.g. tasks.csv)',
  async run(args) {
    const options = parseOptions(args, { columns: { type: 'string' } });
    const file = options.columns as string | undefined;
    if (file !== undefined) {
      const columns = labels().columns[file];
      if (!columns) throw new UserError(`no column documentation for ${file}; documented files: ${Object.keys(labels().columns).sort().join(', ')}`);
      for (const column of Object.keys(columns)) console.log(`${column}\t${columnMeaning(file, column.replace(/\*$/, '')) ?? columnMeaning(file, column)}`);
      return 0;
    }
    for (const entry of glossary()) console.log(`${entry.label} (${entry.kind}): ${entry.meaning}`);
    return 0;
  },
};
