/**
 * The command-line entry: `node .build/pipeline/cli/main.js <command> [options]` (compiled by `make build`;
 * `tsx pipeline/cli/main.ts` runs the sources directly). The Makefile wraps each command.
 * User mistakes print `Error: message` and exit 1; no command or an unknown one prints the usage and exits 2;
 * a bug prints one line saying so (DEBUG=1 adds its stack).
 */
import { setFlagsFromString } from 'node:v8';
import { COMMANDS } from './commands.ts';
import { describeSystemError, internalErrorLine, isUserError } from '../util/errors.ts';

// Drawing the report's charts makes garbage fast, and V8 by default lets the heap grow to several
// times the live data before a full collection (`make report`: ~375 MiB peak with ~60 MiB live).
// Letting it at most double between full collections, measured on make reproduce (interleaved runs):
// ~470 → ~405 MiB peak, and with four more copies of gadre2024 ~620 → ~510 MiB, for 0–8% more CPU
// time (a limit of +50% saved ~30 MiB more for up to ~12% more). V8 reads this flag whenever it sets the
// next heap limit, so setting it here, before any work, takes effect; worker threads share it.
setFlagsFromString('--heap-growing-percent=100');

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return ['Usage: node .build/pipeline/cli/main.js <command> [options]   (or: make <command>)', '', 'Commands:', ...lines, '', 'Run a command with --help for its options.'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name) {
    // No command is a mistake (a script that forgot its argument must not look successful): help, status 2.
    console.error(usage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Error: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`${command.summary}\n\n${command.help}`);
    return 0;
  }
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A user mistake or a fault of the machine (full disk, read-only folder) is one line; so is a
    // bug, said to be one, with its stack only on request (DEBUG=1): a log shows no source paths.
    const fault = isUserError(error) ? error.message : describeSystemError(error);
    if (fault !== undefined) console.error(`Error: ${fault}`);
    else console.error(internalErrorLine(error));
    if (fault === undefined && process.env.DEBUG) console.error(error);
    process.exitCode = 1;
  },
);
