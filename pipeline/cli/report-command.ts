/** `make report`: render outputs/report/ from the files already in outputs/ (no refit), as a new generation. */
import { resolve } from 'node:path';
import { OUTPUTS_DIR } from '../util/paths.ts';
import type { Command } from './command.ts';
import { parseOptions } from './options.ts';

export const reportCommand: Command = {
  summary: 'Render outputs/report/ (report.html, report.md, figures) from existing outputs/, without refitting',
  help: 'Options:\n  --out DIR  outputs folder to read and to write report/ into (default outputs/)',
  async run(args) {
    const options = parseOptions(args, { out: { type: 'string', default: OUTPUTS_DIR } });
    const started = Date.now();
    const { rerenderReport } = await import('../report/rerender.ts'); // vega loads only for commands that draw
    await rerenderReport(resolve(options.out as string), (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`));
    return 0;
  },
};
