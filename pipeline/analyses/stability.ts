/**
 * Label stability: for every task, the share of bootstrap replicates that give each behaviour.
 * A label is unstable when no behaviour wins at least `STABLE_SHARE` of the replicates. Every study
 * with a fitted task has rows; a replicate that left a task too little data to fit (possible when
 * whole runs are drawn) counts in `insufficient`, so the shares and it sum to one.
 */
import { join } from 'node:path';
import type { ClaimComparison, StudySummary } from '../aggregate/aggregate-stage.ts';
import { BEHAVIOURS, type Behaviour } from '../ingest/types.ts';
import { formatCsv, round, writeFileAtomic } from '../util/files.ts';

export const STABLE_SHARE = 0.8;

export interface StabilityRow {
  study: string;
  task: string;
  published: Behaviour | null;
  reproduced: Behaviour;
  shares: Record<Behaviour, number>;
  /** Share of replicates with too little data to fit the task. */
  insufficient: number;
  winner: Behaviour;
  winnerShare: number;
  stable: boolean;
}

export function labelStability(summaries: readonly StudySummary[], comparisons: readonly ClaimComparison[]): StabilityRow[] {
  return summaries.flatMap((summary) => {
    const comparison = comparisons.find((c) => c.summary === summary);
    const replicates = summary.bootstrap.predictable.length;
    return summary.set.curves.map((curve, t) => {
      const counts = summary.bootstrap.behaviourCounts[t]!;
      const shares = Object.fromEntries(BEHAVIOURS.map((b) => [b, counts[b] / replicates])) as Record<Behaviour, number>;
      // Ties go to the earlier behaviour in BEHAVIOURS, so the winner is deterministic.
      const winner = BEHAVIOURS.reduce((best, b) => (shares[b] > shares[best] ? b : best), BEHAVIOURS[0]);
      return {
        study: summary.study,
        task: curve.task.id,
        published: comparison ? (comparison.published[t] ?? null) : null,
        reproduced: summary.set.classifications[t]!.behaviour,
        shares,
        insufficient: summary.bootstrap.insufficient[t]! / replicates,
        winner,
        winnerShare: shares[winner],
        stable: shares[winner] >= STABLE_SHARE,
      };
    });
  });
}

export function writeStability(outputsDir: string, rows: readonly StabilityRow[]): string {
  const path = join(outputsDir, 'stability.csv');
  const header = ['study', 'task', 'published', 'reproduced', ...BEHAVIOURS.map((b) => `share_${b}`), 'share_insufficient_data', 'winner', 'winner_share', 'stable'];
  writeFileAtomic(path, formatCsv(header, rows.map((r) => [r.study, r.task, r.published, r.reproduced, ...BEHAVIOURS.map((b) => round(r.shares[b], 4)), round(r.insufficient, 4), r.winner, round(r.winnerShare, 4), r.stable])));
  return path;
}
