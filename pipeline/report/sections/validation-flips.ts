/**
 * Validation-set flips (beyond Lourie et al. 2025 §3): at matched validation loss, which pretraining
 * corpus gives lower task error, and does the answer change with the validation set? Built from
 * outputs/validation-flips.csv, validation-flips-summary.csv and validation-flips-points.csv.
 */
import type { TopLevelSpec } from 'vega-lite';
import { PAPER_CASES } from '../../analyses/validation-flips.ts';
import { escapeMarkdown } from '../escape.ts';
import { compareText, fixed } from '../format.ts';
import type { Chart, ReportSection, SectionBuilder, Table } from '../section.ts';
import { sortByRank, withRank } from '../sort-order.ts';
import { CHART_CONFIG, CORPUS_COLOURS } from '../theme.ts';

const FILES = { comparisons: 'validation-flips.csv', summary: 'validation-flips-summary.csv', points: 'validation-flips-points.csv', cases: 'validation-flips-cases.csv' } as const;

type Row = Readonly<Record<string, string>>;

export const validationFlipsSection: SectionBuilder = (outputs) => {
  if (!outputs.exists(FILES.comparisons) || !outputs.exists(FILES.summary)) return undefined;
  const comparisons = outputs.csv(FILES.comparisons);
  const summary = outputs.csv(FILES.summary);
  const points = outputs.exists(FILES.points) ? outputs.csv(FILES.points) : [];
  const allCases = outputs.exists(FILES.cases) ? outputs.csv(FILES.cases) : undefined;
  if (comparisons.length === 0) return undefined;
  const alpha = comparisons[0]!.alpha ?? '';
  const studies = unique(comparisons.map((c) => c.study!));

  const text: string[] = [];
  for (const study of studies) {
    const rows = comparisons.filter((c) => c.study === study);
    const tested = rows.filter((c) => c.p_value !== '');
    const better = tested.filter((c) => c.better !== 'none').length;
    const betterFwer = tested.filter((c) => c.better_fwer !== 'none').length;
    const sets = unique(rows.map((c) => c.x_set!));
    const tasks = unique(rows.map((c) => c.task!));
    const pairs = unique(rows.map((c) => `${c.corpus_a}/${c.corpus_b}`));
    const counts = summary.filter((s) => s.study === study);
    const reversals = sum(counts.map((s) => Number(s.reversals)));
    const reversalsFwer = sum(counts.map((s) => Number(s.reversals_fwer)));
    const withReversals = counts.filter((s) => Number(s.reversals) > 0).length;
    const top = [...counts].sort((a, b) => Number(b.reversals) - Number(a.reversals) || compareText(a.x_set_a!, b.x_set_a!))[0];
    const cases = (allCases ?? []).filter((c) => c.study === study);
    const distinct = cases.filter((c) => Number(c.set_pairs_reversed) > 0);
    const distinctFwer = cases.filter((c) => Number(c.set_pairs_reversed_fwer) > 0).length;
    const spans = distinct.map((c) => Number(c.set_pairs_reversed)).sort((a, b) => a - b);
    const frequent = [...distinct].sort((a, b) => Number(b.set_pairs_reversed) - Number(a.set_pairs_reversed) || compareText(a.task!, b.task!)).slice(0, 5);
    text.push(
      `**${escapeMarkdown(study)}.** ${tested.length} of ${rows.length} comparisons (${tasks.length} tasks × ${pairs.length} corpus pairs × ${sets.length} validation sets) could be tested; ` +
        `${better} show a significantly better corpus at matched loss (false discovery rate ${escapeMarkdown(alpha)}), ${betterFwer} under the stricter family-wise correction. ` +
        `Over the ${counts.length} pairs of validation sets, the significantly better corpus reverses ${plural(reversals, 'time')} (${reversalsFwer} under the family-wise correction), in ${withReversals} of the ${counts.length} pairs` +
        (top && Number(top.reversals) > 0 ? `; most often between ${escapeMarkdown(top.x_set_a!)} and ${escapeMarkdown(top.x_set_b!)} (${top.reversals} of ${top.both_significant} cases significant under both)` : '') +
        '.' +
        (allCases && reversals > 0
          ? ` These per-pair counts count the same case again in every pair of sets it reverses in: they are ${plural(distinct.length, 'distinct (task, corpus pair) case')} (${distinctFwer} under the family-wise correction), ` +
            `each reversing in ${spans[0]}–${spans[spans.length - 1]} of the ${counts.length} pairs of validation sets (median ${spans[Math.floor((spans.length - 1) / 2)]}). ` +
            `Most often: ${frequent.map((c) => `${escapeMarkdown(c.task!)} ${escapeMarkdown(c.corpus_a!)}/${escapeMarkdown(c.corpus_b!)} (${c.set_pairs_reversed} pairs)`).join(', ')}.`
          : ''),
    );
    const declared = tested.filter((c) => c.better !== 'none' && c.difference_local !== undefined && c.difference_local !== '');
    if (declared.length > 0) {
      const kept = declared.filter((c) => Math.sign(Number(c.difference)) === Math.sign(Number(c.difference_local)));
      text.push(
        `Robustness: against a curve fitted only to the two corpora's models in their shared loss range (instead of one curve for all corpora), ${kept.length} of the ${declared.length} declared differences keep their direction` +
          `; ${kept.filter((c) => Math.abs(Number(c.statistic_local)) >= 3).length} of them with |t| ≥ 3.`,
      );
    }
  }

  const paperTable: Table = {
    id: 'validation-flips-paper-cases',
    title: 'The two cases of Lourie et al. (2025, §3): residual difference at matched loss',
    header: ['case', 'validation set', 'models (a / b)', 'mean residual a − b', 't', 'p', 'p (FDR)', 'p (FWER)', 'better corpus'],
    rows: [],
  };
  for (const paper of PAPER_CASES) {
    const rows = paper.xSets.map((xSet) => comparisons.find((c) => c.study === paper.study && c.task === paper.task && c.x_set === xSet && c.corpus_a === paper.corpora[0] && c.corpus_b === paper.corpora[1]));
    if (rows.some((r) => r === undefined)) continue;
    const [first, second] = rows as [Row, Row];
    for (const r of [first, second]) {
      paperTable.rows.push([r.paper_case!, r.x_set!, `${r.n_a} / ${r.n_b}`, signed(Number(r.difference), 4), fixed(Number(r.statistic), 2), pText(r.p_value!), pText(r.p_fdr!), pText(r.p_fwer!), r.better!]);
    }
    const describeOne = (r: Row): string =>
      `under ${escapeMarkdown(r.x_set!)}, ${r.better === 'none' ? 'neither corpus is significantly better' : `${escapeMarkdown(r.better!)} is better`} ` +
      `(${r.n_a} and ${r.n_b} models in the shared loss range; mean residual ${escapeMarkdown(r.corpus_a!)} − ${escapeMarkdown(r.corpus_b!)} = ${signed(Number(r.difference), 4)}, t = ${fixed(Number(r.statistic), 2)}, p = ${pText(r.p_value!)}, FDR-adjusted ${pText(r.p_fdr!)}, FWER-adjusted ${pText(r.p_fwer!)})`;
    const reversed = first.better !== 'none' && second.better !== 'none' && first.better !== second.better;
    const verdict = reversed
      ? 'the better corpus reverses'
      : first.better === second.better
        ? first.better === 'none'
          ? 'no corpus is significantly better under either set'
          : 'the same corpus is better under both sets'
        : 'a corpus is significantly better under one set only';
    const matches = paper.expected === 'reversal' ? reversed : first.better === paper.expected[0] && second.better === paper.expected[1];
    const fwerMatches = paper.expected === 'reversal' ? first.better_fwer !== 'none' && second.better_fwer !== 'none' && first.better_fwer !== second.better_fwer : first.better_fwer === paper.expected[0] && second.better_fwer === paper.expected[1];
    text.push(
      `**${escapeMarkdown(first.paper_case!)}** (the paper: ${escapeMarkdown(paper.claim)}). Here ${describeOne(first)}; ${describeOne(second)}: ${verdict}. ` +
        (matches ? 'This is what the paper reports' : 'This is not what the paper reports') +
        (matches === fwerMatches ? ', under either correction.' : `; under the stricter family-wise correction it ${fwerMatches ? 'is' : 'is not'}.`),
    );
  }

  const charts: Chart[] = [];
  for (const paper of PAPER_CASES) {
    const casePoints = points.filter((p) => p.study === paper.study && p.task === paper.task);
    if (casePoints.length > 0) charts.push(caseChart(paper.task, paper.label, paper.xSets, casePoints));
  }
  for (const study of studies) {
    const counts = summary.filter((s) => s.study === study);
    if (counts.length > 0) charts.push(heatMap(study, counts, unique(comparisons.filter((c) => c.study === study).map((c) => c.x_set!))));
  }

  const pairTable: Table = {
    id: 'validation-flips-pairs',
    title: 'Reversals of the significantly better corpus, per pair of validation sets',
    header: ['study', 'validation set a', 'validation set b', 'cases tested', 'significant under both (FDR)', 'reversals (FDR)', 'significant under both (FWER)', 'reversals (FWER)'],
    rows: [...summary]
      .sort((a, b) => compareText(a.study!, b.study!) || Number(b.reversals) - Number(a.reversals) || compareText(a.x_set_a!, b.x_set_a!) || compareText(a.x_set_b!, b.x_set_b!))
      .map((s) => [s.study!, s.x_set_a!, s.x_set_b!, Number(s.comparisons), Number(s.both_significant), Number(s.reversals), Number(s.both_significant_fwer), Number(s.reversals_fwer)]),
  };

  const section: ReportSection = {
    id: 'validation-flips',
    title: 'Which corpus looks better depends on the validation set',
    summary: text,
    methods: methods(alpha, comparisons),
    charts,
    tables: paperTable.rows.length > 0 ? [paperTable, pairTable] : [pairTable],
  };
  return section;
};

function methods(alpha: string, comparisons: readonly Row[]): string[] {
  const minN = Math.min(...comparisons.filter((c) => c.p_value !== '').map((c) => Math.min(Number(c.n_a), Number(c.n_b))));
  return [
    '**Validation-set flips.** For every study with at least two pretraining corpora, every validation set and every task, one exponential error = ε − k·exp(−γ·loss) is fitted (with the same bounds as the headline) to all the study\'s models pooled across corpora. ' +
      'For each pair of corpora, only the models whose loss lies inside the range both corpora cover are compared, so that the comparison is at matched loss rather than an extrapolation of the shared curve. ' +
      "Their residuals from the shared curve are compared with Welch's unequal-variance t test: the difference is the mean residual of corpus a minus that of corpus b, in units of task error (negative: a has lower error than b at the same loss); the p-value is two-sided, from Student's t with Welch–Satterthwaite degrees of freedom. " +
      `A pair is tested only when each corpus has at least five models in the shared range${Number.isFinite(minN) ? ` (the smallest tested group has ${minN})` : ''}.`,
    `All p-values of a study are adjusted together, over every task, corpus pair and validation set. A corpus is declared better when its Benjamini–Hochberg adjusted p-value is below ${escapeMarkdown(alpha)} (false discovery rate: at most that share of the declared differences are expected to be false); ` +
      `the stricter Holm adjustment (family-wise error rate: the probability of any false declaration is at most ${escapeMarkdown(alpha)}) is reported beside it. ` +
      'A reversal between two validation sets is a (task, corpus pair) case whose better corpus is significant under both sets and differs between them. ' +
      "Because one curve pooled over corpora whose losses differ a lot can fit some of them poorly, every tested comparison is repeated against a curve fitted to the two corpora's models in the shared range alone; the direction of each declared difference is checked against it. " +
      'The test treats models as independent draws around the curve and ignores the three fitted parameters in its degrees of freedom; with tens of models per corpus this matters little next to the corrections.',
  ];
}

function caseChart(task: string, label: string, xSets: readonly string[], rows: readonly Row[]): Chart {
  const corpora = unique(rows.map((r) => r.corpus!)).sort(compareText);
  const points = rows
    .filter((r) => xSets.includes(r.x_set!))
    .map((r) => ({ x_set: r.x_set!, model: r.model!, corpus: r.corpus!, x: Number(r.x), error: Number(r.error), fitted: Number(r.fitted) }))
    .sort((a, b) => compareText(a.x_set, b.x_set) || a.x - b.x || compareText(a.model, b.model));
  const values = withRank(points, 'x_set', xSets);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: label, subtitle: "task error against validation loss; line: one curve fitted to all of the study's models pooled" },
    data: { values },
    facet: { column: { field: 'x_set', type: 'nominal', title: 'validation set', sort: sortByRank('x_set') } },
    spec: {
      width: 380,
      height: 200,
      layer: [
        {
          mark: { type: 'point', filled: true, size: 32, opacity: 0.8 },
          encoding: {
            x: { field: 'x', type: 'quantitative', title: 'validation loss', scale: { zero: false, nice: false, padding: 6 } },
            y: { field: 'error', type: 'quantitative', title: `${task} error`, scale: { zero: false, padding: 6 } },
            color: { field: 'corpus', type: 'nominal', title: 'corpus', scale: { domain: corpora, range: CORPUS_COLOURS.slice(0, Math.max(1, corpora.length)) }, legend: { orient: 'bottom', direction: 'horizontal' } },
            tooltip: [
              { field: 'model', title: 'model' },
              { field: 'corpus', title: 'corpus' },
              { field: 'x', title: 'loss' },
              { field: 'error', title: 'error' },
            ],
          },
        },
        {
          mark: { type: 'line', color: '#222222', strokeWidth: 1.5 },
          encoding: {
            x: { field: 'x', type: 'quantitative' },
            y: { field: 'fitted', type: 'quantitative' },
          },
        },
      ],
    },
    resolve: { scale: { x: 'independent' } },
    config: CHART_CONFIG,
  };
  return { id: `validation-flips-${fileSafe(task)}`, title: label, spec, caption: `Each point is a model; left and right show the same models against the loss on ${xSets.map(escapeMarkdown).join(' and ')}. The line is the shared curve the residuals are measured from, fitted to every corpus of the study (including any not shown).` };
}

function heatMap(study: string, counts: readonly Row[], sets: string[]): Chart {
  const cell = new Map<string, Row>();
  for (const s of counts) {
    cell.set(`${s.x_set_a}\u0000${s.x_set_b}`, s);
    cell.set(`${s.x_set_b}\u0000${s.x_set_a}`, s);
  }
  const pairs = sets.flatMap((a) =>
    sets
      .filter((b) => b !== a)
      .map((b) => {
        const s = cell.get(`${a}\u0000${b}`);
        return { a, b, reversals: s ? Number(s.reversals) : 0, both: s ? Number(s.both_significant) : 0, fwer: s ? Number(s.reversals_fwer) : 0 };
      }),
  );
  const values = withRank(withRank(pairs, 'a', sets), 'b', sets);
  const max = Math.max(1, ...values.map((v) => v.reversals));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Reversals of the better corpus between validation sets (${study})`, subtitle: '(task, corpus pair) cases significant under both sets whose better corpus differs' },
    width: 24 * sets.length,
    height: 24 * sets.length,
    data: { values },
    encoding: {
      x: { field: 'a', type: 'nominal', sort: sortByRank('a'), title: 'validation set', axis: { labelAngle: -40 } },
      y: { field: 'b', type: 'nominal', sort: sortByRank('b'), title: 'validation set' },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: { field: 'reversals', type: 'quantitative', title: 'reversals', scale: { scheme: 'oranges', domain: [0, max] } },
          tooltip: [
            { field: 'a', title: 'set a' },
            { field: 'b', title: 'set b' },
            { field: 'reversals', title: 'reversals (FDR)' },
            { field: 'both', title: 'significant under both (FDR)' },
            { field: 'fwer', title: 'reversals (FWER)' },
          ],
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'reversals', type: 'quantitative' },
          color: { condition: { test: `datum.reversals > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
    config: CHART_CONFIG,
  };
  return { id: `validation-flips-heatmap-${fileSafe(study)}`, title: `Reversals between validation sets (${study})`, spec, narrow: true };
}

/** A p-value as text: two significant digits, scientific below 0.001. */
function pText(value: string): string {
  if (value === '') return 'not tested';
  const p = Number(value);
  if (p === 0) return '0';
  return p < 1e-3 ? p.toExponential(1) : String(Number(p.toPrecision(2)));
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function signed(value: number, decimals: number): string {
  const text = fixed(value, decimals);
  return value > 0 && !/^0\.0+$/.test(text) ? `+${text}` : text;
}

function fileSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '_');
}
