/**
 * Stage 4, classify: the first rule of the configuration whose conditions hold gives a task its
 * behaviour. Rules are data (pipeline/config/analysis.json), so every threshold can be swept.
 */
import type { Behaviour } from '../ingest/types.ts';
import type { Condition, FeatureName, Rule } from '../config/analysis-config.ts';
import type { TaskFeatures } from '../fit/features.ts';
import type { SameKeys } from '../util/types.ts';

/** The configuration names exactly the features fit computes (all but the noise they are scaled by); this fails to compile when the two drift apart. */
const FEATURES_IN_STEP: SameKeys<FeatureName, Exclude<keyof TaskFeatures, 'noise'>> = true;
void FEATURES_IN_STEP;

export interface Classification {
  behaviour: Behaviour;
  /** Index of the rule that matched. */
  rule: number;
}

export function classify(features: TaskFeatures, rules: readonly Rule[]): Classification {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (ruleHolds(features, rule)) return { behaviour: rule.behaviour, rule: i };
  }
  throw new Error('classify: no rule matched; the last rule must have no conditions');
}

/** Whether a rule's conditions hold ('all' or 'any'; a rule without conditions always holds). */
export function ruleHolds(features: TaskFeatures, rule: Rule): boolean {
  if (rule.conditions.length === 0) return true;
  return rule.match === 'all' ? rule.conditions.every((c) => conditionHolds(features, c)) : rule.conditions.some((c) => conditionHolds(features, c));
}

/** A feature that is undefined for the fit form (NaN) satisfies no condition, so the rules reading it do not apply. */
export function conditionHolds(features: TaskFeatures, condition: Condition): boolean {
  const value = features[condition.feature];
  switch (condition.op) {
    case '<':
      return value < condition.threshold;
    case '<=':
      return value <= condition.threshold;
    case '>':
      return value > condition.threshold;
    case '>=':
      return value >= condition.threshold;
  }
}

export { describeRule } from './labels.ts';
