/** `make publish VERSION=x.y.z`: freeze outputs/ (data, rendered report, manifest) as reports/vX.Y.Z/. */
import { relative, resolve } from 'node:path';
import { publish } from '../publish/publish.ts';
import { OUTPUTS_DIR, REPORTS_DIR } from '../util/paths.ts';
import type { Command } from './command.ts';
import { parseOptions } from './options.ts';

export const publishCommand: Command = {
  summary: 'Publish outputs/ (report, figures, data, manifest of inputs) as the immutable reports/vVERSION/',
  help: [
    'Options:',
    '  --version X.Y.Z  version label (required; must be newer than every published version)',
    '  --note TEXT      why this version is published (kept in the manifest and the changelog; make publish NOTE=...)',
    '  --out DIR        outputs folder to publish (default outputs/; needs reproduction.json and report/)',
    '  --reports DIR    where versions are kept (default reports/)',
  ].join('\n'),
  async run(args) {
    const options = parseOptions(args, {
      version: { type: 'string', default: '' },
      note: { type: 'string', default: '' },
      out: { type: 'string', default: OUTPUTS_DIR },
      reports: { type: 'string', default: REPORTS_DIR },
    });
    const result = await publish({
      version: (options.version as string).trim(),
      outputsDir: resolve(options.out as string),
      reportsDir: resolve(options.reports as string),
      note: options.note as string,
      log: (line) => console.log(line),
    });
    const git = result.manifest.git;
    const state = git.repository ? `commit ${git.commit.slice(0, 12)}${git.dirty ? ' with uncommitted changes' : ''}` : git.note;
    console.log(`publish: ${result.version} is the latest version (${state}); commit ${relative(process.cwd(), result.directory) || result.directory} and the updated reports/ files`);
    return 0;
  },
};
