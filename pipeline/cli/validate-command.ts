/** `make validate [STUDIES=DIR]`: check a registry and report every problem at once. */
import { ingestRegistry } from '../ingest/ingest.ts';
import { formatProblem } from '../ingest/problems.ts';
import { count } from '../util/shown-text.ts';
import { STUDIES_DIR } from '../util/paths.ts';
import type { Command } from './command.ts';
import { parseOptions, registryOption } from './options.ts';

export const validateCommand: Command = {
  summary: 'Check every study folder against the schemas and the semantic rules',
  help: 'Options:\n  --studies DIR  registry to check (default studies/); its vocabulary.json, else the project\'s, names the canonical ids',
  async run(args) {
    const options = parseOptions(args, { studies: { type: 'string', default: STUDIES_DIR } });
    const result = ingestRegistry(registryOption(options.studies as string), STUDIES_DIR, { keepRows: false });
    for (const problem of result.problems) console.error(formatProblem(problem));
    const withData = result.studies.filter((s) => s.counts);
    const models = withData.reduce((sum, s) => sum + s.counts!.rows, 0);
    const tasks = withData.reduce((sum, s) => sum + s.metadata.observations!.tasks.length, 0);
    const cells = withData.reduce((sum, s) => sum + s.counts!.rows * s.metadata.observations!.tasks.length, 0);
    const values = withData.reduce((sum, s) => sum + s.counts!.taskValues, 0);
    const withClaims = result.studies.filter((s) => s.claims).length;
    if (result.problemCount > 0) {
      const n = result.problemCount;
      console.error(`validate: ${count(n)} problem${n === 1 ? '' : 's'} found; fix them and run make validate again`);
      return 1;
    }
    const empty = cells - values;
    const notEvaluated = empty > 0 ? ` (${empty} empty cells: not evaluated, allowed)` : '';
    console.log(`validate: ok — ${withData.length} studies with data, ${withClaims} with claims, ${models} models/checkpoints, ${tasks} tasks, ${values} task observations${notEvaluated}`);
    return 0;
  },
};
