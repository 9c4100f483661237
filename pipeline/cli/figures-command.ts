/** `make figures`: PNGs of the report's figures (outputs/report/figures/*.png) from their SVGs. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../util/errors.ts';
import { OUTPUTS_DIR } from '../util/paths.ts';
import type { Command } from './command.ts';
import { parseOptions } from './options.ts';

export const figuresCommand: Command = {
  summary: 'Render PNGs of the report figures from their SVGs (outputs/report/figures/*.png)',
  help: 'Reproduce and report write SVG only; this adds a PNG beside every SVG, one figure at a time.\n\nOptions:\n  --out DIR  outputs folder whose report/ to rasterize (default outputs/)',
  async run(args) {
    const options = parseOptions(args, { out: { type: 'string', default: OUTPUTS_DIR } });
    const reportDir = join(resolve(options.out as string), 'report');
    if (!existsSync(join(reportDir, 'figures'))) throw new UserError(`${join(reportDir, 'figures')} not found: run make reproduce (or make report) first`);
    const { rasterizeFigures } = await import('../report/render-png.ts');
    const started = Date.now();
    rasterizeFigures(reportDir, { all: true, log: (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`) });
    return 0;
  },
};
