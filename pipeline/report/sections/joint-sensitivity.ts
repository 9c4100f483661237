/**
 * Joint sensitivity (outputs/joint-sensitivity.csv): the headline under every combination of the
 * swept thresholds at once, as a histogram over the grid, with the range quoted from it.
 */
import type { TopLevelSpec } from 'vega-lite';
import { JOINT_SENSITIVITY_FILE, jointRange, type JointSensitivityRow } from '../../analyses/joint-sensitivity.ts';
import { escapeMarkdown } from '../escape.ts';
import { percentOf } from '../format.ts';
import type { Chart, SectionBuilder, Table } from '../section.ts';
import { CHART_CONFIG } from '../theme.ts';

export const jointSensitivitySection: SectionBuilder = (outputs) => {
  if (!outputs.exists(JOINT_SENSITIVITY_FILE)) return undefined;
  const rows: JointSensitivityRow[] = outputs.csv(JOINT_SENSITIVITY_FILE).map((r) => ({ study: r.study!, predictable: Number(r.predictable), total: Number(r.total), gridPoints: Number(r.grid_points), gridSize: Number(r.grid_size) }));
  if (rows.length === 0) return undefined;
  const studies = [...new Set(rows.map((r) => r.study))];
  const summary = studies.map((study) => {
    const range = jointRange(rows, study)!;
    return (
      `**${escapeMarkdown(study)}.** Over all ${range.gridSize} combinations of the swept thresholds (every value of every threshold's range, at once), the predictable count runs from ${range.min} to ${range.max} of ${range.total} ` +
      `(${percentOf(range.min, range.total)} to ${percentOf(range.max, range.total)}); the middle 90% of combinations give ${range.p05} to ${range.p95} (median ${range.median}). ` +
      'One-at-a-time sweeps (the sensitivity table) understate this, because thresholds interact.'
    );
  });
  const charts: Chart[] = studies.map((study) => histogram(rows.filter((r) => r.study === study), study));
  const table: Table = {
    id: 'joint-sensitivity',
    title: 'Predictable count over the joint threshold grid',
    header: ['study', 'predictable', 'tasks', 'share', 'threshold combinations', 'share of the grid'],
    rows: rows.map((r) => [r.study, r.predictable, r.total, percentOf(r.predictable, r.total), r.gridPoints, percentOf(r.gridPoints, r.gridSize)]),
  };
  return {
    id: 'joint-sensitivity',
    title: 'The headline over every combination of thresholds',
    summary,
    methods: ["**Joint sensitivity.** Every swept threshold of the calibrated rules takes every value of its configured range at once (the calibration grid); each combination re-classifies the headline's fits. The histogram counts combinations, not probabilities: the grid is a range of reasonable choices, not a distribution over them."],
    charts,
    tables: [table],
  };
};

function histogram(rows: JointSensitivityRow[], study: string): Chart {
  const values = rows.map((r) => ({ predictable: r.predictable, combinations: r.gridPoints, share: r.gridPoints / r.gridSize, label: `${r.predictable}/${r.total}` }));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Predictable tasks over the joint threshold grid', subtitle: `${study}: ${rows[0]!.gridSize} threshold combinations` },
    width: 420,
    height: 200,
    data: { values },
    mark: { type: 'bar', color: '#0072B2' },
    encoding: {
      x: { field: 'predictable', type: 'ordinal', title: `tasks called predictable (of ${rows[0]!.total})`, axis: { labelAngle: 0 } },
      y: { field: 'combinations', type: 'quantitative', title: 'threshold combinations' },
      tooltip: [{ field: 'label', title: 'predictable' }, { field: 'combinations' }, { field: 'share', format: '.1%', title: 'share of the grid' }],
    },
    config: CHART_CONFIG,
  };
  return { id: `joint-sensitivity-${study.replace(/[^a-z0-9_-]/gi, '_')}`, title: `Joint threshold grid (${study})`, spec };
}
