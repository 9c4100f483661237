/** The table of CLI commands: name → summary, help text and implementation. */
import type { Command } from './command.ts';
import { calibrateCommand } from './calibrate-command.ts';
import { diffCommand } from './diff-command.ts';
import { figuresCommand } from './figures-command.ts';
import { importCommand } from './import-command.ts';
import { newStudyCommand } from './new-study-command.ts';
import { publishCommand } from './publish-command.ts';
import { reproduceCommand } from './reproduce-command.ts';
import { reportCommand } from './report-command.ts';
import { siteCommand } from './site-command.ts';
import { termsCommand } from './terms-command.ts';
import { validateCommand } from './validate-command.ts';


export const COMMANDS: Record<string, Command> = {
  import: importCommand,
  validate: validateCommand,
  'new-study': newStudyCommand,
  reproduce: reproduceCommand,
  report: reportCommand,
  figures: figuresCommand,
  publish: publishCommand,
  calibrate: calibrateCommand,
  diff: diffCommand,
  terms: termsCommand,
  site: siteCommand,
};
