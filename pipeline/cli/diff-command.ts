/** `make diff [BASE=x.y.z]`: Markdown summary of what outputs/ changes against a published version. */
import { resolve } from 'node:path';
import { diffOutputs } from '../publish/diff.ts';
import { OUTPUTS_DIR, REPORTS_DIR } from '../util/paths.ts';
import type { Command } from './command.ts';
import { parseOptions } from './options.ts';

export const diffCommand: Command = {
  summary: 'Markdown summary of what outputs/ changes against a published version (headlines, studies, task labels, inputs)',
  help: [
    'Options:',
    '  --base X.Y.Z|DIR             published version to compare with (default the latest), or a folder of outputs',
    '  --out DIR                    outputs folder to compare (default outputs/)',
    '  --reports DIR                where versions are kept (default reports/)',
    '  --fail-on-headline-change    exit 1 when a published headline changed (a gate for reviewers)',
  ].join('\n'),
  async run(args) {
    const options = parseOptions(args, {
      base: { type: 'string' },
      out: { type: 'string', default: OUTPUTS_DIR },
      reports: { type: 'string', default: REPORTS_DIR },
      'fail-on-headline-change': { type: 'boolean', default: false },
    });
    const result = diffOutputs({
      base: options.base as string | undefined,
      outputsDir: resolve(options.out as string),
      reportsDir: resolve(options.reports as string),
    });
    process.stdout.write(result.markdown);
    if (options['fail-on-headline-change'] && result.headlineChanges.length > 0) {
      console.error(`diff: the published headline changed for ${result.headlineChanges.join(', ')} (--fail-on-headline-change)`);
      return 1;
    }
    return 0;
  },
};
