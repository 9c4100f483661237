/**
 * `make report`: re-render outputs/report/ from the data files of outputs/, as a new generation. The
 * outputs must be one complete generation made from the current inputs (their run record says so);
 * the data files are linked into the new generation unchanged, the report is rendered there, the
 * record lists the new files, and the generation replaces outputs/ only when it is complete.
 */
import { copyFileSync, linkSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UserError } from '../util/errors.ts';
import { beginGeneration, repairGeneration } from '../util/generation.ts';
import { ROOT } from '../util/paths.ts';
import { checkGeneration, RUN_RECORD_FILE, rewriteRunRecord } from '../util/run-record.ts';
import { REPORT_DIR, renderReport } from './render-report.ts';

export async function rerenderReport(outputsDir: string, log: (line: string) => void = () => {}, root = ROOT): Promise<string[]> {
  repairGeneration(outputsDir);
  const check = checkGeneration(outputsDir, root);
  if (!check.ok) throw new UserError(`cannot render the report: ${check.problem}`);
  const { record } = check;
  const git = record.git.repository ? `commit ${record.git.commit.slice(0, 12)}${record.git.dirty ? ' with uncommitted changes' : ''}` : record.git.note;
  log(`report: outputs made from ${record.registry}/ and ${record.config.file} (${git}); inputs unchanged since`);
  const generation = beginGeneration(outputsDir);
  try {
    for (const file of Object.keys(record.outputs)) {
      if (file === RUN_RECORD_FILE || file.startsWith(`${REPORT_DIR}/`)) continue;
      const to = join(generation.dir, file);
      mkdirSync(dirname(to), { recursive: true });
      // Files are only ever replaced by rename, never changed in place, so a hard link is a safe copy.
      try {
        linkSync(join(outputsDir, file), to);
      } catch {
        copyFileSync(join(outputsDir, file), to);
      }
    }
    const written = await renderReport(generation.dir, log);
    rewriteRunRecord(generation.dir, record);
    generation.commit();
    return written.map((path) => join(outputsDir, relative(generation.dir, path)));
  } catch (error) {
    generation.abort();
    throw error;
  }
}
