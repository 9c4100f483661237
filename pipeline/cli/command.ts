/** What every CLI command provides. */
export interface Command {
  /** One line for the command list. */
  summary: string;
  help: string;
  run: (args: string[]) => Promise<number>;
}
