/**
 * Validation-set flips (beyond Lourie et al. 2025 §3): does the choice of validation set change
 * which pretraining corpus looks better on a task?
 *
 * For every study with at least two corpora, every validation set s and every task:
 *   1. fit one shared exponential error = ε − k·exp(−γ·loss_s) to all the study's models pooled;
 *   2. for every pair of corpora (a, b), keep the models of a and of b whose loss lies in the range
 *      both corpora cover (so the comparison is at matched loss, not an extrapolation), and compare
 *      their residuals from the shared curve with Welch's t test: difference = mean residual of a −
 *      mean residual of b (negative: a has lower error than b at the same loss);
 *   3. adjust all p-values of the study together. A corpus is declared better when its
 *      Benjamini–Hochberg adjusted p-value is below α (default 0.01): at most a share α of the
 *      study's "better corpus" claims are expected to be false (false discovery rate). The stricter
 *      Holm adjustment (family-wise error rate ≤ α: no false claim at all with probability 1 − α)
 *      is reported beside it as `better_fwer`.
 * As a robustness check each tested comparison is repeated against a curve fitted to the two
 * corpora's models in the shared range alone (`difference_local`, `statistic_local`), since one
 * curve pooled over corpora with very different losses can fit some corpora poorly.
 * Then, for every pair of validation sets, count the (task, corpus pair) cases whose significantly
 * better corpus reverses, under both corrections. Cost: one fit per (task, set) plus O(n) per comparison.
 */
import { join } from 'node:path';
import type { AnalysisConfig } from '../config/analysis-config.ts';
import { fitExponential, predictExponential, type ExponentialBounds, type ExponentialFit } from '../fit/exponential.ts';
import type { Dataset, NormalizedStudy } from '../normalize/normalize.ts';
import { formatCsv, round, writeFileAtomic } from '../util/files.ts';
import { groupBy } from '../util/group.ts';
import { knownRows, pCell, rowsWhere, statCell } from './common.ts';
import { benjaminiHochbergAdjust, holmAdjust, welchTTest } from './statistics.ts';

export interface FlipOptions {
  /** Significance level for declaring a better corpus, after correction (false discovery rate for `better`, family-wise error rate for `betterFwer`). */
  alpha: number;
  /** Fewest models per corpus inside the shared loss range for a comparison to be tested. */
  minPerCorpus: number;
}

export const DEFAULT_FLIP_OPTIONS: FlipOptions = Object.freeze({ alpha: 0.01, minPerCorpus: 5 });

/** The cases Lourie et al. (2025, §3) show; called out in the CSV and the report. */
export interface PaperCase {
  study: string;
  task: string;
  corpora: readonly [string, string];
  xSets: readonly [string, string];
  label: string;
  claim: string;
  /** What the paper reports: the better corpus under each of xSets ('none': no difference), or just that it reverses. */
  expected: readonly [string, string] | 'reversal';
}

export const PAPER_CASES: readonly PaperCase[] = Object.freeze([
  {
    study: 'gadre2024',
    task: 'hellaswag',
    corpora: ['c4_original', 'rpj'],
    xSets: ['c4_val', 'paloma_100_pl'],
    label: 'Lourie et al. 2025 §3: HellaSwag',
    claim: 'both corpora follow one curve under C4 validation loss; under the code validation set C4-pretrained models look better',
    expected: ['none', 'c4_original'],
  },
  {
    study: 'gadre2024',
    task: 'coqa',
    corpora: ['c4_original', 'rpj'],
    xSets: ['c4_val', 'paloma_100_pl'],
    label: 'Lourie et al. 2025 §3: CoQA',
    claim: 'the corpus that looks better reverses between the two validation sets',
    expected: 'reversal',
  },
] as const);

export interface FlipComparison {
  study: string;
  task: string;
  corpusA: string;
  corpusB: string;
  xSet: string;
  /** Models of each corpus inside the loss range both cover. */
  nA: number;
  nB: number;
  overlapLow: number;
  overlapHigh: number;
  /** Mean residual of a − mean residual of b (task error units); NaN when not tested. */
  difference: number;
  statistic: number;
  df: number;
  pValue: number;
  /** Robustness check: difference and Welch t against a curve fitted to the two corpora's models in the shared range only. */
  localDifference: number;
  localStatistic: number;
  /** Benjamini–Hochberg adjusted over every tested comparison of the study. */
  pFdr: number;
  /** Holm adjusted over every tested comparison of the study. */
  pFwer: number;
  /** The corpus with significantly lower error at matched loss (pFdr < α), or 'none'. */
  better: string;
  /** The same under Holm (pFwer < α). */
  betterFwer: string;
  paperCase: string;
}

export interface FlipReversalCount {
  study: string;
  xSetA: string;
  xSetB: string;
  /** (task, corpus pair) cases tested under both sets. */
  comparisons: number;
  /** ... with a significantly better corpus under both. */
  bothSignificant: number;
  /** ... and a different better corpus under the two sets. */
  reversals: number;
  /** The reversed cases as `task:corpus_a/corpus_b`. */
  cases: string[];
  /** bothSignificant and reversals under Holm's correction. */
  bothSignificantFwer: number;
  reversalsFwer: number;
}

/**
 * One (task, corpus pair) whose better corpus reverses between at least one pair of validation
 * sets. A case counted in many pairs of sets is still one case: the per-pair counts above count it
 * once per pair.
 */
export interface FlipCase {
  study: string;
  task: string;
  corpusA: string;
  corpusB: string;
  /** Pairs of validation sets under which the case was tested under both sets. */
  pairsTested: number;
  /** Pairs of validation sets whose better corpus (FDR) reverses, and the same under Holm. */
  pairsReversed: number;
  pairsReversedFwer: number;
  /** The reversing pairs as `set_a/set_b`. */
  reversedPairs: string[];
}

export interface FlipPoint {
  study: string;
  task: string;
  xSet: string;
  model: string;
  corpus: string;
  x: number;
  error: number;
  fitted: number;
}

export interface ValidationFlipsResult {
  options: FlipOptions;
  comparisons: FlipComparison[];
  reversals: FlipReversalCount[];
  /** Distinct (task, corpus pair) cases that reverse in at least one pair of validation sets (FDR or Holm). */
  cases: FlipCase[];
  /** Points of the paper cases (every model of their two corpora on both sets) with the shared curve. */
  points: FlipPoint[];
}

/** Studies with at least two corpora among their models. */
export function multiCorpusStudies(dataset: Dataset): NormalizedStudy[] {
  return dataset.studies.filter((study) => corporaOf(study).length >= 2);
}

function corporaOf(study: NormalizedStudy): string[] {
  const present = new Set(study.models.corpus);
  const declared = study.corpora.map((c) => c.id).filter((id) => present.has(id));
  for (const id of present) if (!declared.includes(id)) declared.push(id);
  return declared;
}

export function paperCaseLabel(study: string, task: string, corpusA: string, corpusB: string, xSet: string): string {
  const match = PAPER_CASES.find((c) => c.study === study && c.task === task && c.xSets.includes(xSet) && ((c.corpora[0] === corpusA && c.corpora[1] === corpusB) || (c.corpora[0] === corpusB && c.corpora[1] === corpusA)));
  return match?.label ?? '';
}

export function validationFlips(dataset: Dataset, config: AnalysisConfig, options: FlipOptions = DEFAULT_FLIP_OPTIONS): ValidationFlipsResult {
  const comparisons: FlipComparison[] = [];
  const reversals: FlipReversalCount[] = [];
  const cases: FlipCase[] = [];
  const points: FlipPoint[] = [];
  for (const study of multiCorpusStudies(dataset)) {
    const table = study.models;
    const corpora = corporaOf(study);
    const rowsOf = new Map(corpora.map((c) => [c, rowsWhere(table.corpus, c)]));
    const studyComparisons: FlipComparison[] = [];
    for (const xSet of study.validationSets) {
      const x = table.loss.get(xSet.id)!;
      for (const task of study.tasks) {
        const y = table.error.get(task.id)!;
        // Only the models with this set's loss and this task's score (an empty cell is "not
        // evaluated"); their residual is NaN elsewhere, which keeps the rest out of every comparison.
        const known = knownRows(x, y);
        if (known.length < config.sufficiency.minPoints) continue;
        const fit = fitExponential(Float64Array.from(known, (i) => x[i]!), Float64Array.from(known, (i) => y[i]!), config.fit.bounds);
        const residual = new Float64Array(y.length);
        for (let i = 0; i < y.length; i++) residual[i] = y[i]! - predictExponential(fit, x[i]!);
        // A corpus with fewer known models than a comparison needs can never be tested: it is left
        // out rather than listed once per other corpus (a release with dozens of one-model corpora).
        const comparable: CorpusRows[] = [];
        for (const corpus of corpora) {
          const rows = rowsOf.get(corpus)!.filter((r) => Number.isFinite(residual[r]!));
          if (rows.length >= options.minPerCorpus) comparable.push(corpusRows(corpus, rows, x));
        }
        for (let i = 0; i < comparable.length; i++) {
          for (let j = i + 1; j < comparable.length; j++) {
            studyComparisons.push(compare(study.id, task.id, comparable[i]!, comparable[j]!, xSet.id, x, y, residual, options, config.fit.bounds));
          }
        }
        for (const paper of PAPER_CASES) {
          if (paper.study === study.id && paper.task === task.id && paper.xSets.includes(xSet.id)) points.push(...casePoints(study, task.id, xSet.id, paper.corpora, x, y, fit));
        }
      }
    }
    const pValues = studyComparisons.map((c) => c.pValue);
    const fdr = benjaminiHochbergAdjust(pValues);
    const fwer = holmAdjust(pValues);
    studyComparisons.forEach((c, k) => {
      c.pFdr = fdr[k]!;
      c.pFwer = fwer[k]!;
      const lower = c.difference < 0 ? c.corpusA : c.corpusB;
      c.better = c.pFdr < options.alpha ? lower : 'none';
      c.betterFwer = c.pFwer < options.alpha ? lower : 'none';
    });
    comparisons.push(...studyComparisons);
    reversals.push(...countReversals(study, studyComparisons));
    cases.push(...reversalCases(study, studyComparisons));
  }
  return { options, comparisons, reversals, cases, points };
}

/** A corpus's models with a known residual (in row order), and the range of their x. */
interface CorpusRows {
  corpus: string;
  rows: number[];
  low: number;
  high: number;
}

function corpusRows(corpus: string, rows: number[], x: Float64Array): CorpusRows {
  let low = Infinity;
  let high = -Infinity;
  for (const r of rows) {
    low = Math.min(low, x[r]!);
    high = Math.max(high, x[r]!);
  }
  return { corpus, rows, low, high };
}

/** The rows whose x lies in [low, high], in order. */
function rowsInside(rows: readonly number[], x: Float64Array, low: number, high: number): number[] {
  const inside: number[] = [];
  for (const r of rows) if (x[r]! >= low && x[r]! <= high) inside.push(r);
  return inside;
}

function compare(study: string, task: string, corpusA: CorpusRows, corpusB: CorpusRows, xSet: string, x: Float64Array, y: Float64Array, residual: Float64Array, options: FlipOptions, bounds: ExponentialBounds): FlipComparison {
  const overlapLow = Math.max(corpusA.low, corpusB.low);
  const overlapHigh = Math.min(corpusA.high, corpusB.high);
  const insideA = rowsInside(corpusA.rows, x, overlapLow, overlapHigh);
  const insideB = rowsInside(corpusB.rows, x, overlapLow, overlapHigh);
  const comparison: FlipComparison = {
    study,
    task,
    corpusA: corpusA.corpus,
    corpusB: corpusB.corpus,
    xSet,
    nA: insideA.length,
    nB: insideB.length,
    overlapLow,
    overlapHigh,
    difference: Number.NaN,
    statistic: Number.NaN,
    df: Number.NaN,
    pValue: Number.NaN,
    localDifference: Number.NaN,
    localStatistic: Number.NaN,
    pFdr: Number.NaN,
    pFwer: Number.NaN,
    better: 'none',
    betterFwer: 'none',
    paperCase: paperCaseLabel(study, task, corpusA.corpus, corpusB.corpus, xSet),
  };
  const fewest = Math.max(2, options.minPerCorpus);
  if (insideA.length < fewest || insideB.length < fewest) return comparison;
  const test = welchTTest(
    insideA.map((r) => residual[r]!),
    insideB.map((r) => residual[r]!),
  );
  // Robustness: the same comparison against a curve fitted to these two corpora's models in the shared range alone.
  const rows = [...insideA, ...insideB];
  const local = fitExponential(Float64Array.from(rows, (r) => x[r]!), Float64Array.from(rows, (r) => y[r]!), bounds);
  const localResidual = (r: number): number => y[r]! - predictExponential(local, x[r]!);
  const localTest = welchTTest(insideA.map(localResidual), insideB.map(localResidual));
  comparison.difference = test.difference;
  comparison.statistic = test.statistic;
  comparison.df = test.df;
  comparison.pValue = test.pValue;
  comparison.localDifference = localTest.difference;
  comparison.localStatistic = localTest.statistic;
  return comparison;
}

function casePoints(study: NormalizedStudy, task: string, xSet: string, corpora: readonly string[], x: Float64Array, y: Float64Array, fit: ExponentialFit): FlipPoint[] {
  const table = study.models;
  const points: FlipPoint[] = [];
  for (let i = 0; i < table.ids.length; i++) {
    if (!corpora.includes(table.corpus[i]!) || !Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) continue;
    points.push({ study: study.id, task, xSet, model: table.ids[i]!, corpus: table.corpus[i]!, x: x[i]!, error: y[i]!, fitted: predictExponential(fit, x[i]!) });
  }
  return points;
}

/**
 * Each comparison's (task, corpus pair) case, as its comparisons by validation set (in `sets`
 * order), and each set's comparisons in their order: a case's comparison under another set is one
 * array read, not a lookup by a key text.
 */
function indexComparisons(
  comparisons: readonly FlipComparison[],
  sets: readonly string[],
): { caseOf: (c: FlipComparison) => readonly (FlipComparison | undefined)[]; ofSet: (xSet: string) => readonly FlipComparison[]; setIndex: ReadonlyMap<string, number> } {
  const setIndex = new Map(sets.map((set, i) => [set, i]));
  const cases = new Map<string, (FlipComparison | undefined)[]>();
  const caseOf = new Map<FlipComparison, (FlipComparison | undefined)[]>();
  for (const c of comparisons) {
    const key = `${c.task}\u0000${c.corpusA}\u0000${c.corpusB}`;
    let bySet = cases.get(key);
    if (!bySet) cases.set(key, (bySet = new Array<FlipComparison | undefined>(sets.length)));
    bySet[setIndex.get(c.xSet)!] = c;
    caseOf.set(c, bySet);
  }
  const bySet = groupBy(comparisons, (c) => c.xSet);
  return { caseOf: (c) => caseOf.get(c)!, ofSet: (xSet) => bySet.get(xSet) ?? [], setIndex };
}

function countReversals(study: NormalizedStudy, comparisons: readonly FlipComparison[]): FlipReversalCount[] {
  const sets = study.validationSets.map((s) => s.id);
  const index = indexComparisons(comparisons, sets);
  const counts: FlipReversalCount[] = [];
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      const count: FlipReversalCount = { study: study.id, xSetA: sets[i]!, xSetB: sets[j]!, comparisons: 0, bothSignificant: 0, reversals: 0, cases: [], bothSignificantFwer: 0, reversalsFwer: 0 };
      // Each pair of sets looks only at the first set's comparisons (not all of them: sets² × comparisons).
      for (const first of index.ofSet(sets[i]!)) {
        const second = index.caseOf(first)[j];
        if (!second || Number.isNaN(first.pValue) || Number.isNaN(second.pValue)) continue;
        count.comparisons++;
        if (first.betterFwer !== 'none' && second.betterFwer !== 'none') {
          count.bothSignificantFwer++;
          if (first.betterFwer !== second.betterFwer) count.reversalsFwer++;
        }
        if (first.better === 'none' || second.better === 'none') continue;
        count.bothSignificant++;
        if (first.better !== second.better) {
          count.reversals++;
          count.cases.push(`${first.task}:${first.corpusA}/${first.corpusB}`);
        }
      }
      counts.push(count);
    }
  }
  return counts;
}

/** Group the per-pair reversals by (task, corpus pair): how many pairs of validation sets each spans. */
export function reversalCases(study: NormalizedStudy, comparisons: readonly FlipComparison[]): FlipCase[] {
  const sets = study.validationSets.map((s) => s.id);
  const index = indexComparisons(comparisons, sets);
  const cases = new Map<readonly (FlipComparison | undefined)[], FlipCase>();
  for (const first of comparisons) {
    const i = index.setIndex.get(first.xSet) ?? -1;
    const bySet = index.caseOf(first);
    for (let j = i + 1; j < sets.length; j++) {
      const second = bySet[j];
      if (!second || Number.isNaN(first.pValue) || Number.isNaN(second.pValue)) continue;
      let entry = cases.get(bySet);
      if (!entry) cases.set(bySet, (entry = { study: study.id, task: first.task, corpusA: first.corpusA, corpusB: first.corpusB, pairsTested: 0, pairsReversed: 0, pairsReversedFwer: 0, reversedPairs: [] }));
      entry.pairsTested++;
      if (first.better !== 'none' && second.better !== 'none' && first.better !== second.better) {
        entry.pairsReversed++;
        entry.reversedPairs.push(`${first.xSet}/${second.xSet}`);
      }
      if (first.betterFwer !== 'none' && second.betterFwer !== 'none' && first.betterFwer !== second.betterFwer) entry.pairsReversedFwer++;
    }
  }
  return [...cases.values()].filter((c) => c.pairsReversed > 0 || c.pairsReversedFwer > 0);
}

export const VALIDATION_FLIPS_FILES = {
  cases: 'validation-flips-cases.csv',
  comparisons: 'validation-flips.csv',
  summary: 'validation-flips-summary.csv',
  points: 'validation-flips-points.csv',
} as const;

/** outputs/validation-flips.csv, validation-flips-summary.csv and validation-flips-points.csv. */
export function writeValidationFlips(outputsDir: string, result: ValidationFlipsResult): string[] {
  const comparisons = join(outputsDir, VALIDATION_FLIPS_FILES.comparisons);
  writeFileAtomic(
    comparisons,
    formatCsv(
      ['study', 'task', 'corpus_a', 'corpus_b', 'x_set', 'n_a', 'n_b', 'difference', 'statistic', 'df', 'p_value', 'p_fdr', 'p_fwer', 'alpha', 'better', 'better_fwer', 'loss_low', 'loss_high', 'difference_local', 'statistic_local', 'paper_case'],
      result.comparisons.map((c) => [
        c.study,
        c.task,
        c.corpusA,
        c.corpusB,
        c.xSet,
        c.nA,
        c.nB,
        statCell(c.difference),
        statCell(c.statistic, 4),
        statCell(c.df, 2),
        pCell(c.pValue),
        pCell(c.pFdr),
        pCell(c.pFwer),
        result.options.alpha,
        c.better,
        c.betterFwer,
        statCell(c.overlapLow),
        statCell(c.overlapHigh),
        statCell(c.localDifference),
        statCell(c.localStatistic, 4),
        c.paperCase,
      ]),
    ),
  );
  const summary = join(outputsDir, VALIDATION_FLIPS_FILES.summary);
  writeFileAtomic(
    summary,
    formatCsv(
      ['study', 'x_set_a', 'x_set_b', 'comparisons', 'both_significant', 'reversals', 'both_significant_fwer', 'reversals_fwer', 'reversed_cases'],
      result.reversals.map((r) => [r.study, r.xSetA, r.xSetB, r.comparisons, r.bothSignificant, r.reversals, r.bothSignificantFwer, r.reversalsFwer, r.cases.join(' ')]),
    ),
  );
  const points = join(outputsDir, VALIDATION_FLIPS_FILES.points);
  writeFileAtomic(
    points,
    formatCsv(
      ['study', 'task', 'x_set', 'model', 'corpus', 'x', 'error', 'fitted'],
      result.points.map((p) => [p.study, p.task, p.xSet, p.model, p.corpus, round(p.x, 8), round(p.error, 8), round(p.fitted, 8)]),
    ),
  );
  const cases = join(outputsDir, VALIDATION_FLIPS_FILES.cases);
  writeFileAtomic(
    cases,
    formatCsv(
      ['study', 'task', 'corpus_a', 'corpus_b', 'set_pairs_tested', 'set_pairs_reversed', 'set_pairs_reversed_fwer', 'reversed_set_pairs'],
      result.cases.map((c) => [c.study, c.task, c.corpusA, c.corpusB, c.pairsTested, c.pairsReversed, c.pairsReversedFwer, c.reversedPairs.join(' ')]),
    ),
  );
  return [comparisons, summary, points, cases];
}
