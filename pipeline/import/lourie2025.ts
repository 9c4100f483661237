/** Importer for Lourie et al. 2025: the published behaviour of each gadre2024 task, as claims. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { ImportedStudy } from './study-writer.ts';

export function importLourie2025(sourceDir: string): ImportedStudy {
  const rows = Papa.parse<Record<string, string>>(readFileSync(join(sourceDir, 'published-labels.csv'), 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data;
  const labels = rows
    .map((row) => ({ task: row.task!.trim(), behaviour: row.category!.trim() }))
    .sort((a, b) => a.task.localeCompare(b.task));
  const predictable = labels.filter((label) => label.behaviour === 'predictable').length;
  return {
    id: 'lourie2025',
    metadata: {
      id: 'lourie2025',
      title: 'Scaling Laws Are Unreliable for Downstream Tasks: A Reality Check',
      authors: ['Nicholas Lourie', 'Michael Y. Hu', 'Kyunghyun Cho'],
      year: 2025,
      venue: 'Findings of EMNLP 2025',
      doi: '10.18653/v1/2025.findings-emnlp.877',
      arxiv: '2507.00885',
      provenance: {
        repository: 'https://arxiv.org/abs/2507.00885',
        commit: 'none',
        files: ['published-labels.csv (the grouping of Figures 5-10, tabulated by task id)'],
        licence: 'Facts from a published paper; labels tabulated publicly by Z. Robertson (July 2025)',
        importer: 'pipeline/import/lourie2025.ts',
        derivation:
          'One label per task id, as tabulated from the grouping of the per-task figures. The headline count is the number of tasks labelled predictable; the fit form and bounds are those the paper states.',
      },
      claims: { file: 'claims.json' },
    },
    files: {
      'claims.json': {
        json: {
          $schema: '../../schemas/claims.schema.json',
          about: 'gadre2024',
          x: 'c4_val',
          fit: { form: 'exponential', bounds: { epsilon: [0, 1], logK: [0, 20], gamma: [0, 20] } },
          headline: { behaviour: 'predictable', count: predictable, total: labels.length },
          labels,
        },
      },
    },
  };
}
