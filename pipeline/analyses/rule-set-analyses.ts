/**
 * The analyses that re-apply rules to the headline's fits: named rule sets side by side
 * (rule-sets.ts) and the joint threshold grid (joint-sensitivity.ts). Also copies the rule sets
 * into outputs/config/ so a published report carries them.
 */
import { join } from 'node:path';
import type { AggregateResult } from '../aggregate/aggregate-stage.ts';
import type { AnalysisConfig } from '../config/analysis-config.ts';
import { allRuleSets } from '../classify/rule-sets.ts';
import { formatJson, writeFileAtomic } from '../util/files.ts';
import { jointSensitivity, writeJointSensitivity } from './joint-sensitivity.ts';
import { compareRuleSets, writeRuleSets } from './rule-sets.ts';

export function writeRuleSetAnalyses(outputsDir: string, aggregate: AggregateResult, config: AnalysisConfig): string[] {
  const ruleSets = allRuleSets(config);
  const written = writeRuleSets(outputsDir, compareRuleSets(aggregate.summaries, aggregate.comparisons, ruleSets.sets));
  written.push(writeJointSensitivity(outputsDir, jointSensitivity(aggregate.summaries, config.rules)));
  const copy = join(outputsDir, 'config', 'rule-sets.json');
  writeFileAtomic(copy, formatJson({ note: ruleSets.note, sets: ruleSets.sets.filter((s) => s.origin !== 'calibrated') }));
  written.push(copy);
  return written;
}
