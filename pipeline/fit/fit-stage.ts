/**
 * Stage 3, fit: for every study, every scale variable it provides and every task, fit the
 * exponential (and the other shapes the rules need) and measure the curve's features.
 */
import { analyseCurve, type CurveAnalysis, type FeatureOptions } from '../classify/features.ts';
import type { AnalysisConfig } from '../classify/config.ts';
import type { TaskMetadata, ValidationSetMetadata } from '../ingest/types.ts';
import type { NormalizedStudy, ObservationTable } from '../normalize/normalize.ts';

export interface TaskCurve {
  task: TaskMetadata;
  analysis: CurveAnalysis;
}

/** All task curves of one study against one validation set. */
export interface CurveSet {
  study: string;
  x: ValidationSetMetadata;
  n: number;
  curves: TaskCurve[];
}

export function featureOptions(config: AnalysisConfig): FeatureOptions {
  return { bounds: config.fit.bounds, reversal: { bins: config.features.reversalBins, minPointsPerBin: config.features.minPointsPerBin } };
}

/** Fit every task of `study` with x = the loss on `xSet`, over the rows of `table` (default: final models). */
export function fitCurveSet(study: NormalizedStudy, xSet: ValidationSetMetadata, config: AnalysisConfig, table: ObservationTable = study.models): CurveSet {
  const x = table.loss.get(xSet.id)!;
  const options = featureOptions(config);
  return {
    study: study.id,
    x: xSet,
    n: x.length,
    curves: study.tasks.map((task) => ({ task, analysis: analyseCurve(x, table.error.get(task.id)!, task, options) })),
  };
}

export function fitStage(studies: readonly NormalizedStudy[], config: AnalysisConfig, onProgress: (done: number, total: number) => void = () => {}): CurveSet[] {
  const total = studies.reduce((sum, s) => sum + s.validationSets.length, 0);
  const sets: CurveSet[] = [];
  for (const study of studies) {
    for (const xSet of study.validationSets) {
      sets.push(fitCurveSet(study, xSet, config));
      onProgress(sets.length, total);
    }
  }
  return sets;
}
