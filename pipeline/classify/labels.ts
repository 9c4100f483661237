/**
 * Words for readers (pipeline/config/labels.json, checked against schemas/labels.schema.json): the
 * label and one-sentence meaning of every behaviour, feature, analysis choice and term. The report,
 * the CSV column documentation and the command line all read them from here, so an identifier such
 * as `shapeGap` stays in the data files and a reader sees "gain of a free monotone curve".
 */
import { join } from 'node:path';
import { readCheckedJson } from '../util/schemas.ts';
import { CONFIG_DIR } from '../util/paths.ts';
import type { Condition, Rule } from '../config/analysis-config.ts';

export interface Term {
  label: string;
  meaning: string;
}

export interface BehaviourTerm extends Term {
  /** A short phrase for the rule that gives this behaviour ("no trend beyond sampling noise"). */
  rule: string;
}

export interface Labels {
  behaviours: Record<string, BehaviourTerm>;
  features: Record<string, Term>;
  choices: Record<string, Term>;
  terms: Record<string, Term>;
  /** Per CSV file, the meaning of each column ("feature:<id>" and "term:<id>" refer to the entries above). */
  columns: Record<string, Record<string, string>>;
}

export const LABELS_PATH = join(CONFIG_DIR, 'labels.json');

let cached: Labels | undefined;

/** The labels, read and checked once. */
export function labels(): Labels {
  if (!cached) cached = loadLabels(LABELS_PATH);
  return cached;
}

export function loadLabels(path: string): Labels {
  return readCheckedJson<Labels>(path, 'labels', 'the labels');
}

/** The label of a behaviour; an unknown behaviour is shown as it is. */
export function behaviourLabel(behaviour: string): string {
  return labels().behaviours[behaviour]?.label ?? behaviour;
}

/** The short phrase for the rule that gives a behaviour ("error reverses direction"). */
export function behaviourRule(behaviour: string): string {
  return labels().behaviours[behaviour]?.rule ?? behaviour;
}

export function featureLabel(feature: string): string {
  return labels().features[feature]?.label ?? feature;
}

export function featureMeaning(feature: string): string {
  return labels().features[feature]?.meaning ?? '';
}

/** Comparisons in words (no `<`, `>=` for Markdown to escape). */
export const COMPARISON_WORDS: Record<Condition['op'], string> = { '<': 'below', '<=': 'at most', '>': 'above', '>=': 'at least' };

/** "fit quality (R²) below 0.45". */
export function conditionPhrase(condition: Pick<Condition, 'feature' | 'op'>, threshold: number | string): string {
  return `${featureLabel(condition.feature)} ${COMPARISON_WORDS[condition.op]} ${threshold}`;
}

/**
 * A rule in words, for the methods: "2. **trendless** (no trend beyond sampling noise) when trend
 * strength (|t|) is below 2 or trend size in noise units is below 1. Why …".
 */
export function describeRule(rule: Rule, position: number): string {
  const head = `${position}. **${behaviourLabel(rule.behaviour)}** (${behaviourRule(rule.behaviour)})`;
  if (rule.conditions.length === 0) return `${head} otherwise. ${rule.why}`;
  const joiner = rule.match === 'all' ? ' and ' : ' or ';
  return `${head} when ${rule.conditions.map((c) => `${featureLabel(c.feature)} is ${COMPARISON_WORDS[c.op]} ${c.threshold}`).join(joiner)}. ${rule.why}`;
}

/** The id sensitivity.csv gives a threshold sweep: "threshold: noisy r2 <". */
export function thresholdChoiceId(behaviour: string, condition: Pick<Condition, 'feature' | 'op'>): string {
  return `threshold: ${behaviour} ${condition.feature} ${condition.op}`;
}

interface ThresholdChoice {
  behaviour: string;
  feature: string;
  op: Condition['op'];
}

/** Reads a threshold sweep's id back; undefined for other choices. */
export function parseThresholdChoice(choice: string): ThresholdChoice | undefined {
  const match = /^threshold: (.+) (\S+) (<|<=|>|>=)$/.exec(choice);
  if (!match) return undefined;
  return { behaviour: match[1]!, feature: match[2]!, op: match[3] as Condition['op'] };
}

/** A choice of sensitivity.csv as a reader reads it: "threshold: noisy when fit quality (R²) is below …" or "fit form". */
export function choiceLabel(choice: string): string {
  const threshold = parseThresholdChoice(choice);
  if (threshold) return `${behaviourLabel(threshold.behaviour)} when ${featureLabel(threshold.feature)} is ${COMPARISON_WORDS[threshold.op]} …`;
  return labels().choices[choice]?.label ?? choice;
}

/** One setting of a choice: "noisy when fit quality (R²) is below 0.45", "fit form: straight line". */
export function settingLabel(choice: string, value: string): string {
  const threshold = parseThresholdChoice(choice);
  if (threshold) return `${behaviourLabel(threshold.behaviour)} when ${featureLabel(threshold.feature)} is ${COMPARISON_WORDS[threshold.op]} ${value}`;
  if (choice === 'default') return labels().choices.default?.label ?? value;
  return `${choiceLabel(choice)}: ${value}`;
}

/** The meaning of a CSV column of outputs/, with references resolved; undefined when undocumented. */
export function columnMeaning(file: string, column: string): string | undefined {
  const columns = labels().columns[file];
  if (!columns) return undefined;
  const entry = columns[column] ?? Object.entries(columns).find(([name]) => name.endsWith('*') && column.startsWith(name.slice(0, -1)))?.[1];
  if (entry === undefined) return undefined;
  const ref = /^(feature|term):(.+)$/.exec(entry);
  if (!ref) return entry;
  const term = ref[1] === 'feature' ? labels().features[ref[2]!] : labels().terms[ref[2]!];
  return term ? `${capitalizeFirst(term.label)}: ${term.meaning}` : entry;
}

function capitalizeFirst(text: string): string {
  return text.length === 0 ? text : `${text[0]!.toUpperCase()}${text.slice(1)}`;
}

/** Every entry for a glossary, in the file's order: kind, label, meaning. */
export function glossary(): { kind: string; label: string; meaning: string }[] {
  const l = labels();
  return [
    ...Object.values(l.behaviours).map((t) => ({ kind: 'behaviour', label: t.label, meaning: `${t.meaning} Rule: ${t.rule}.` })),
    ...Object.values(l.features).map((t) => ({ kind: 'feature', label: t.label, meaning: t.meaning })),
    ...Object.values(l.choices).map((t) => ({ kind: 'analysis choice', label: t.label, meaning: t.meaning })),
    ...Object.values(l.terms).map((t) => ({ kind: 'term', label: t.label, meaning: t.meaning })),
  ];
}
