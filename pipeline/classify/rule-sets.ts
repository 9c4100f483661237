/**
 * Named rule sets (pipeline/config/rule-sets.json), compared side by side with the calibrated rules
 * of analysis.json: an a-priori set whose thresholds are stated from sampling-noise reasoning, and
 * the strict and lenient rules a sceptic and a generous reader would apply. Checked against
 * schemas/rule-sets.schema.json (whose rules are analysis-config's) on load.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors.ts';
import { readCheckedJson } from '../util/schemas.ts';
import { CONFIG_DIR } from '../util/paths.ts';
import type { AnalysisConfig, Rule } from '../config/analysis-config.ts';

export interface RuleSet {
  id: string;
  name: string;
  /** 'a priori' (never tuned on published labels) or 'calibrated' (searched against them). */
  origin: 'a priori' | 'calibrated';
  description: string;
  rules: Rule[];
}

export interface RuleSetsFile {
  version: string;
  note: string;
  sets: RuleSet[];
}

export const DEFAULT_RULE_SETS_PATH = join(CONFIG_DIR, 'rule-sets.json');

export function loadRuleSets(path = DEFAULT_RULE_SETS_PATH): RuleSetsFile {
  const file = readCheckedJson<RuleSetsFile>(path, 'rule-sets', 'the rule sets');
  file.sets.forEach((set, i) => {
    if (set.rules[set.rules.length - 1]!.conditions.length > 0) throw new UserError(`${path}: /sets/${i}/rules: the last rule must have no conditions, so every task gets a behaviour`);
    if (set.id === CALIBRATED_ID) throw new UserError(`${path}: /sets/${i}/id: "${CALIBRATED_ID}" is reserved for the rules of analysis.json`);
  });
  return file;
}

export const CALIBRATED_ID = 'calibrated';

/** The calibrated set (analysis.json) first, then the named sets of rule-sets.json when present. */
export function allRuleSets(config: AnalysisConfig, path = DEFAULT_RULE_SETS_PATH): { note: string; sets: RuleSet[] } {
  const calibrated: RuleSet = {
    id: CALIBRATED_ID,
    name: 'calibrated (thresholds searched against the published labels)',
    origin: 'calibrated',
    description: 'The rules of analysis.json, with thresholds chosen by make calibrate to agree with the published labels.',
    rules: config.rules,
  };
  if (!existsSync(path)) return { note: '', sets: [calibrated] };
  const file = loadRuleSets(path);
  return { note: file.note, sets: [calibrated, ...file.sets] };
}
