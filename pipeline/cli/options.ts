/** Command-line option parsing with errors a user understands. */
import { parseArgs } from 'node:util';
import { UserError } from '../util/errors.ts';

export function parseOptions<T extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new UserError(error instanceof Error ? error.message : String(error));
  }
}
