/**
 * Fit and classification: how every curve was fitted, the classification rules in words, the
 * bootstrap and the calibration of the rule thresholds. Methods only (no results of its own).
 */
import type { Rule } from '../../config/analysis-config.ts';
import { describeRule, featureLabel, featureMeaning, settingLabel, thresholdChoiceId } from '../../classify/labels.ts';
import { escapeMarkdown } from '../escape.ts';
import { percentOf } from '../format.ts';
import { readConfigFile, readReproduction, type AnalysisConfigView, type CalibrationView } from '../reproduction.ts';
import type { SectionBuilder } from '../section.ts';

const PARAMETER_NAMES: Record<string, string> = { epsilon: 'ε', logK: 'ln k', k: 'k', gamma: 'γ' };

export const methodsSection: SectionBuilder = (outputs) => {
  const doc = readReproduction(outputs);
  if (!doc) return undefined;
  const config = readConfigFile<AnalysisConfigView>(outputs, 'analysis.json');
  const calibration = readConfigFile<CalibrationView>(outputs, 'calibration.json');
  const ns = [...new Set(doc.tasks.map((t) => t.fit.n))].sort((a, b) => a - b);
  const modelCount = ns.length === 0 ? 'the' : ns.length === 1 ? `the ${ns[0]}` : `the ${ns[0]}–${ns[ns.length - 1]}`;

  const methods: string[] = [];
  const bounds = config
    ? Object.entries(config.fit.bounds)
        .sort(([a], [b]) => parameterRank(a) - parameterRank(b))
        .map(([name, [lo, hi]]) => `${PARAMETER_NAMES[name] ?? escapeMarkdown(name)} ∈ [${lo}, ${hi}]`)
        .join(', ')
    : undefined;
  methods.push(
    `**Fit.** Every task's error (1 − accuracy) is fitted against the loss on ${escapeMarkdown(doc.x)} over ${modelCount} models of ${escapeMarkdown(doc.study)}, with the form of the paper, ` +
      `error = ε − k·exp(−γ·x), by least squares${bounds ? ` within the bounds ${bounds}` : ''}. ` +
      'The optimum is global, not a local solver\'s guess: for a fixed γ the model is linear in (ε, k), whose best values under the bounds are solved exactly; ' +
      'the remaining one-dimensional profile of the squared error over γ is scanned on a grid and every local minimum of the grid is refined by safeguarded Newton steps. ' +
      'R² is one minus the ratio of the residual to the total sum of squares.',
  );
  if (config && config.version !== doc.configVersion) {
    methods.push(`Note: reproduction.json was computed with analysis configuration ${escapeMarkdown(doc.configVersion)}, but the configuration read here is ${escapeMarkdown(config.version)}; the bounds above may not be those used.`);
  }
  // The rules in words from the configuration the run used; reproduction.json's own sentences only when it is absent.
  const rules = config?.rules ? config.rules.map((rule, i) => describeRule(rule, i + 1)) : doc.rules;
  methods.push(`**Classification.** Each task gets the behaviour of the first rule that matches, in this order:\n${rules.join('\n')}`);
  if (config?.rules) {
    const features = [...new Set(config.rules.flatMap((r) => r.conditions.map((c) => c.feature)))];
    methods.push(`The rules read these numbers, computed from each task's curve:\n${features.map((f) => `- **${escapeMarkdown(featureLabel(f))}**: ${escapeMarkdown(featureMeaning(f))}`).join('\n')}`);
  }
  methods.push(
    `**Bootstrap.** The model-resampling interval of the predictable share is the central 95% of ${doc.reproduced.bootstrap.replicates} bootstrap replicates (seed ${doc.reproduced.bootstrap.seed}): ${escapeMarkdown(doc.reproduced.bootstrap.resampling)}. ` +
      (doc.reproduced.bootstrap.covers ? `It covers ${escapeMarkdown(doc.reproduced.bootstrap.covers)}. ` : '') +
      (doc.reproduced.taskInterval ? `The task-level interval (${escapeMarkdown(doc.reproduced.taskInterval.method)}) covers ${escapeMarkdown(doc.reproduced.taskInterval.covers)}. ` : '') +
      'The share of replicates giving each behaviour measures how firm a task\'s label is.',
  );
  if (calibration) {
    const thresholds = Object.entries(calibration.chosen.thresholds)
      .sort(([a], [b]) => compareRuleKeys(a, b))
      .map(([key, value]) => thresholdInWords(key, value, config?.rules))
      .join('; ');
    const loo = calibration.leaveOneOut;
    methods.push(
      `**Calibration.** The rule thresholds were chosen by \`make calibrate\` against ${escapeMarkdown(calibration.claims)}'s labels of ${escapeMarkdown(calibration.study)} (x = ${escapeMarkdown(calibration.x)}), ` +
        `searching a grid of ${calibration.gridSize} threshold combinations; objective: ${escapeMarkdown(calibration.objective)}. ` +
        `Chosen thresholds: ${thresholds}. In-sample agreement: ${calibration.chosen.sixWay} of ${loo.total} tasks on all behaviours, ${calibration.chosen.binary} of ${loo.total} on predictable or not. ` +
        `Leave-one-task-out (thresholds re-chosen without each task, then applied to it): ${loo.sixWay} of ${loo.total} (${percentOf(loo.sixWay, loo.total)}) and ${loo.binary} of ${loo.total} (${percentOf(loo.binary, loo.total)}), ` +
        `the honest estimate of how well the rules reproduce labels they were not tuned on. Many threshold combinations tie for best; rather than preferring the configured thresholds (which were chosen with the held-out task's label), each held-out task's agreement is averaged over every combination tied for best on the other tasks, so the counts can be fractional.` +
        (calibration.configVersion !== doc.configVersion ? ` The calibration was run with configuration ${escapeMarkdown(calibration.configVersion)}, the reproduction with ${escapeMarkdown(doc.configVersion)}.` : ''),
    );
  }
  return { id: 'methods', title: 'Fit and classification', summary: [], methods, charts: [], tables: [] };
};

/** A calibration key "<rule>.<condition>" (both counted from 1) and its value, in words: "noisy when fit quality (R²) is below 0.45". */
function thresholdInWords(key: string, value: number, rules: readonly Rule[] | undefined): string {
  const [r = 0, c = 0] = key.split('.').map(Number);
  const rule = rules?.[r - 1];
  const condition = rule?.conditions[c - 1];
  return rule && condition ? escapeMarkdown(settingLabel(thresholdChoiceId(rule.behaviour, condition), String(value))) : `${escapeMarkdown(key)}: ${value}`;
}

/** ε, then k (or ln k), then γ, then anything else. */
function parameterRank(name: string): number {
  const order = ['epsilon', 'k', 'logK', 'gamma'];
  return order.includes(name) ? order.indexOf(name) : order.length;
}

/** "2.1" before "10.1": numeric by rule, then condition. */
function compareRuleKeys(a: string, b: string): number {
  const [ra = 0, ca = 0] = a.split('.').map(Number);
  const [rb = 0, cb = 0] = b.split('.').map(Number);
  return ra - rb || ca - cb;
}
