/** Writes an imported study folder: study.json plus its records, byte-for-byte deterministic. */
import { join } from 'node:path';
import { formatCsv, formatJson, writeFileAtomic } from '../util/files.ts';

export interface ImportedStudy {
  id: string;
  metadata: Record<string, unknown>;
  /** Extra files of the folder, by file name: CSV tables or JSON documents. */
  files: Record<string, { header: string[]; rows: (string | number | boolean | null)[][] } | { json: unknown }>;
}

export function writeStudy(studiesDir: string, study: ImportedStudy): string[] {
  const folder = join(studiesDir, study.id);
  const written: string[] = [];
  const metadata = { $schema: '../../schemas/study.schema.json', schemaVersion: 1, ...study.metadata };
  writeFileAtomic(join(folder, 'study.json'), formatJson(metadata));
  written.push(join(folder, 'study.json'));
  for (const [name, contents] of Object.entries(study.files)) {
    const text = 'json' in contents ? formatJson(contents.json) : formatCsv(contents.header, contents.rows);
    writeFileAtomic(join(folder, name), text);
    written.push(join(folder, name));
  }
  return written;
}

/** Human-readable name from a source task id, e.g. `bigbench_qa_wikidata` → `BIG-bench QA Wikidata`. */
export function displayName(taskId: string, overrides: Readonly<Record<string, string>> = {}): string {
  const known = overrides[taskId];
  if (known) return known;
  const words: Record<string, string> = {
    bigbench: 'BIG-bench', agi: 'AGI', eval: 'Eval', qa: 'QA', mmlu: 'MMLU', arc: 'ARC', copa: 'COPA', siqa: 'SIQA',
    piqa: 'PIQA', bbq: 'BBQ', coqa: 'CoQA', squad: 'SQuAD', lsat: 'LSAT', sat: 'SAT', ar: 'AR', rc: 'RC', lr: 'LR',
    en: 'EN', pii: 'PII', mc: 'MC', cs: 'CS', boolq: 'BoolQ', openai: 'OpenAI', pubmed: 'PubMed', logi: 'Logi',
  };
  return taskId
    .split('_')
    .map((word) => words[word] ?? word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
