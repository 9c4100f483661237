/**
 * The corrected figures of issue 10 that `make reproduce` prints after the headline, read back from
 * the files it wrote (so a cached run prints the same): rule sets side by side, the joint
 * threshold grid, the straight-line row, distinct validation-set flips, within-study extrapolation.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { formatPercent } from '../util/percent.ts';

function csv(dir: string, name: string): Record<string, string>[] {
  const path = join(dir, name);
  if (!existsSync(path)) return [];
  return Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
}

export function findingsLines(outputsDir: string, study: string): string[] {
  const lines: string[] = [];
  const sets = csv(outputsDir, 'rule-sets.csv').filter((r) => r.study === study);
  if (sets.length > 0) {
    lines.push('Rule sets (predictable; agreement with the published labels, in-sample: predictable vs not, six behaviours):');
    for (const r of sets) lines.push(`  ${r.rule_set!.padEnd(11)} ${r.origin!.padEnd(10)} ${r.predictable!.padStart(3)}/${r.total}  ${formatPercent(Number(r.predictable), Number(r.total)).padStart(6)}   ${r.agree_binary ? `${r.agree_binary}/${r.labelled}  ${r.agree_six_way}/${r.labelled}` : 'no labels'}`);
  }
  const joint = csv(outputsDir, 'joint-sensitivity.csv').filter((r) => r.study === study);
  if (joint.length > 0) {
    const counts = joint.map((r) => Number(r.predictable));
    lines.push(`Joint threshold grid: ${Math.min(...counts)}–${Math.max(...counts)} of ${joint[0]!.total} predictable over ${joint[0]!.grid_size} combinations`);
  }
  const line = csv(outputsDir, 'sensitivity.csv').find((r) => r.study === study && r.choice === 'fit form' && r.value === 'straight line');
  if (line) lines.push(`Fit form straight line: ${line.predictable}/${line.total} (${formatPercent(Number(line.predictable), Number(line.total))})`);
  const pairs = csv(outputsDir, 'validation-flips-summary.csv').filter((r) => r.study === study);
  const cases = csv(outputsDir, 'validation-flips-cases.csv').filter((r) => r.study === study);
  if (pairs.length > 0) {
    const perPair = pairs.reduce((sum, r) => sum + Number(r.reversals), 0);
    const distinct = cases.filter((c) => Number(c.set_pairs_reversed) > 0);
    const spans = distinct.map((c) => Number(c.set_pairs_reversed));
    lines.push(
      `Validation-set flips: ${perPair} reversals counted per pair of validation sets are ${distinct.length} distinct (task, corpus pair) cases (${cases.filter((c) => Number(c.set_pairs_reversed_fwer) > 0).length} under Holm)` +
        (spans.length > 0 ? `, each reversing in ${Math.min(...spans)}–${Math.max(...spans)} of ${pairs.length} pairs of sets` : ''),
    );
  }
  const rest = csv(outputsDir, 'extrapolation-tests.csv').find((r) => r.study === study && r.group_b === 'rest');
  if (rest) lines.push(`Extrapolation within ${study}: predictable median ${rest.median_rmse_over_noise_a} vs other tasks ${rest.median_rmse_over_noise_b} noise units (${rest.n_a} vs ${rest.n_b} tasks), Mann–Whitney p = ${rest.p_value}`);
  return lines;
}
