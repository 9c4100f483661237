/**
 * Words and data files: every label the report uses with its one-sentence meaning, and the meaning
 * of each column of the CSV files in outputs/, both from pipeline/config/labels.json (the same words
 * the command line's `terms` prints).
 */
import { columnMeaning, glossary, labels } from '../../classify/labels.ts';
import type { SectionBuilder, Table } from '../section.ts';

export const glossarySection: SectionBuilder = (outputs) => {
  const words: Table = {
    id: 'glossary',
    title: 'Words used in this report',
    header: ['kind', 'word', 'meaning'],
    rows: glossary().map((entry) => [entry.kind, entry.label, entry.meaning]),
  };
  const columns: (string | number)[][] = [];
  for (const file of Object.keys(labels().columns).sort()) {
    if (!outputs.exists(file)) continue;
    const header = Object.keys(outputs.csv(file)[0] ?? {});
    for (const column of header) columns.push([file, column, columnMeaning(file, column) ?? '']);
  }
  const tables: Table[] = [words];
  if (columns.length > 0) tables.push({ id: 'data-columns', title: 'Columns of the data files', header: ['file', 'column', 'meaning'], rows: columns });
  return {
    id: 'glossary',
    title: 'Words and data files',
    summary: ['Each word below has one meaning throughout the report, the data files and the command line (`terms` prints the same list).'],
    methods: [],
    charts: [],
    tables,
  };
};
