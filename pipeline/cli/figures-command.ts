/** `make figures`: PNGs of the report's figures (outputs/report/figures/*.png) from their SVGs. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../util/errors.ts';
import { OUTPUTS_DIR } from '../util/paths.ts';
import { checkGeneration, readRunRecord, rewriteRunRecord } from '../util/run-record.ts';
import type { Command } from './command.ts';
import { parseOptions } from './options.ts';

export const figuresCommand: Command = {
  summary: 'Render PNGs of the report figures from their SVGs (outputs/report/figures/*.png)',
  help: 'Reproduce and report write SVG only; this adds a PNG beside every SVG, one figure at a time.\n\nOptions:\n  --out DIR  outputs folder whose report/ to rasterize (default outputs/)',
  async run(args) {
    const options = parseOptions(args, { out: { type: 'string', default: OUTPUTS_DIR } });
    const reportDir = join(resolve(options.out as string), 'report');
    if (!existsSync(join(reportDir, 'figures'))) throw new UserError(`${join(reportDir, 'figures')} not found: run make reproduce (or make report) first`);
    // PNGs join the generation: its run record is checked first and lists them afterwards.
    const outputsDir = resolve(options.out as string);
    const check = readRunRecord(outputsDir) ? checkGeneration(outputsDir) : undefined;
    if (check && !check.ok) throw new UserError(`cannot add figures: ${check.problem}`);
    const { rasterizeFigures } = await import('../report/render-png.ts');
    const started = Date.now();
    rasterizeFigures(reportDir, { all: true, log: (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`) });
    if (check?.ok) rewriteRunRecord(outputsDir, check.record);
    return 0;
  },
};
