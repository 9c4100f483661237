/** Stage 4, classify: apply the rules to every fitted curve. */
import type { CurveSet } from '../fit/fit-stage.ts';
import type { Rule } from '../config/analysis-config.ts';
import { classify, type Classification } from './rules.ts';

export interface ClassifiedSet extends CurveSet {
  classifications: Classification[];
}

export function classifyStage(sets: readonly CurveSet[], rules: readonly Rule[]): ClassifiedSet[] {
  return sets.map((set) => ({ ...set, classifications: set.curves.map((curve) => classify(curve.analysis.features, rules)) }));
}
