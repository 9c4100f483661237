import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findingsLines } from '../../pipeline/cli/findings.ts';

const dir = mkdtempSync(join(tmpdir(), 'dsa-findings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the figures make reproduce prints after the headline', () => {
  it('reads them back from the output files, counting distinct flip cases once', () => {
    writeFileSync(join(dir, 'rule-sets.csv'), 'study,rule_set,origin,predictable,total,labelled,agree_binary,agree_six_way\ns,calibrated,calibrated,21,46,46,44,41\ns,a-priori,a priori,14,46,46,32,26\n');
    writeFileSync(join(dir, 'joint-sensitivity.csv'), 'study,predictable,total,grid_size\ns,9,46,10\ns,24,46,10\n');
    writeFileSync(join(dir, 'sensitivity.csv'), 'study,choice,value,predictable,total\ns,fit form,straight line,18,46\n');
    writeFileSync(join(dir, 'validation-flips-summary.csv'), 'study,reversals\ns,3\ns,2\ns,0\n');
    writeFileSync(join(dir, 'validation-flips-cases.csv'), 'study,set_pairs_reversed,set_pairs_reversed_fwer\ns,3,1\ns,2,0\n');
    writeFileSync(join(dir, 'extrapolation-tests.csv'), 'study,group_b,n_a,n_b,median_rmse_over_noise_a,median_rmse_over_noise_b,p_value\ns,rest,20,26,3.1,2.6,0.42\n');
    const text = findingsLines(dir, 's').join('\n');
    expect(text).toContain('calibrated  calibrated  21/46   45.7%   44/46  41/46');
    expect(text).toContain('Joint threshold grid: 9–24 of 46');
    expect(text).toContain('Fit form straight line: 18/46 (39.1%)');
    expect(text).toContain('5 reversals counted per pair of validation sets are 2 distinct (task, corpus pair) cases (1 under Holm), each reversing in 2–3 of 3 pairs');
    expect(text).toContain('Mann–Whitney p = 0.42');
    expect(findingsLines(dir, 'other')).toEqual([]);
  });
});
