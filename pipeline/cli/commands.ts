/** The table of CLI commands: name → summary, help text and implementation. */
import { parseArgs } from 'node:util';
import { UserError } from './errors.ts';
import { importCommand } from './import-command.ts';
import { validateCommand } from './validate-command.ts';

export interface Command {
  summary: string;
  help: string;
  run: (args: string[]) => Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  import: importCommand,
  validate: validateCommand,
};

/** parseArgs with errors a user understands. */
export function parseOptions<T extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new UserError(error instanceof Error ? error.message : String(error));
  }
}
