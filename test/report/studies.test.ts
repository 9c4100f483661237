/**
 * One section per study other than the headline one, generated from reproduction.json's `studies`
 * entries: a synthetic second study on its own x gets its grid, its headline and its task table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutputsReader } from '../../pipeline/report/outputs-reader.ts';
import { buildSections } from '../../pipeline/report/render-report.ts';
import type { ReportSection } from '../../pipeline/report/section.ts';
import type { StudyEntry } from '../../pipeline/report/reproduction.ts';
import { studySections } from '../../pipeline/report/sections/studies.ts';
import { taskPanelsSection } from '../../pipeline/report/sections/task-panels.ts';
import { formatCsv, formatSortedJson, writeFileAtomic } from '../../pipeline/util/files.ts';
import { makeTempDir, removeTempDirs, writeSyntheticOutputs } from './fixtures.ts';

let sections: ReportSection[];
beforeAll(() => {
  const dir = makeTempDir();
  const doc = writeSyntheticOutputs(dir);
  const other: StudyEntry = {
    study: 'other2025',
    claims: null,
    x: { axis: 'loss:pile', canonical: 'pile', set: 'pile', unit: 'nats per token' },
    level: 'checkpoint',
    runs: 3,
    points: 12,
    checkpoints: 12,
    tasks: 3,
    fitted: 2,
    predictable: 1,
    fraction: 0.5,
    ci95: [0, 1],
    insufficientData: [{ task: 'tiny', name: 'Tiny Task', points: 2, runs: 2, reason: 'fewer than 3 runs' }],
    taskResults: [
      { task: 'p', name: 'P Task', published: null, label: 'predictable', rule: 3, points: 12, runs: 3, reason: null, fit: { epsilon: 0.8, k: 40, logK: Math.log(40), gamma: 1.5, sse: 0.01, r2: 0.9, n: 12 }, features: { noise: 0.01 }, stability: { predictable: 0.9 } },
      { task: 'n', name: 'N Task', published: null, label: 'nonmonotonic', rule: 1, points: 12, runs: 3, reason: null, fit: { epsilon: 0.6, k: 1, logK: 0, gamma: 0.5, sse: 0.02, r2: 0.2, n: 12 }, features: { noise: 0.01 }, stability: { nonmonotonic: 0.7 } },
      { task: 'tiny', name: 'Tiny Task', published: null, label: 'insufficient data', rule: null, points: 2, runs: 2, reason: 'fewer than 3 runs', fit: null, features: null, stability: null },
    ],
  };
  const json = JSON.parse(readFileSync(join(dir, 'reproduction.json'), 'utf8')) as Record<string, unknown>;
  json.studies = [{ ...other, study: doc.study, x: { axis: 'loss:c4_val', canonical: 'c4-validation', set: 'c4_val', unit: 'nats per token' } }, other];
  writeFileAtomic(join(dir, 'reproduction.json'), formatSortedJson(json));
  const points = readFileSync(join(dir, 'points.csv'), 'utf8').trimEnd().split('\n').slice(1).map((line) => line.split(','));
  const extra = ['p', 'n'].flatMap((task) => Array.from({ length: 12 }, (_, i) => ['other2025', 'pile', task, `r${i % 3}-${i}`, 'mix', '', '', 2 + 0.2 * i, task === 'p' ? 0.8 - 40 * Math.exp(-1.5 * (2 + 0.2 * i)) : 0.5 + 0.1 * Math.sin(i)]));
  writeFileAtomic(join(dir, 'points.csv'), formatCsv(['study', 'x_set', 'task', 'model', 'corpus', 'params', 'tokens', 'x', 'error'], [...points, ...extra]));
  sections = buildSections(createOutputsReader(dir), [taskPanelsSection, studySections]);
});
afterAll(removeTempDirs);

describe('a section per study', () => {
  it('follows the headline study with one section per other study, on its own x', () => {
    expect(sections.map((s) => s.id)).toEqual(['tasks', 'study-other2025']);
    const study = sections[1]!;
    expect(study.charts.map((c) => c.id)).toEqual(['tasks-other2025-predictable', 'tasks-other2025-nonmonotonic']);
    const spec = study.charts[0]!.spec as unknown as { spec: { layer: { encoding: { x: { title: string } } }[] } };
    expect(spec.spec.layer[0]!.encoding.x.title).toBe('loss on pile (nats per token)');
    expect(study.summary.join('\n')).toContain('**1 of 2** fitted tasks scale predictably (50.0%), 95% bootstrap interval 0.0%–100.0%');
    expect(study.summary.join('\n')).toContain('Tiny Task (fewer than 3 runs)');
    expect(study.tables[0]!.rows.map((r) => r[0])).toEqual(['p', 'n']);
  });
});
