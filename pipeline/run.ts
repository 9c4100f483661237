/**
 * The pipeline, stage by stage. Each stage takes the previous one's typed result, and every
 * intermediate is returned so tests and analyses can stop at any stage.
 *
 *   studies/ ──ingest──▶ IngestResult ──normalize──▶ Dataset ──fit──▶ CurveSet[]
 *            ──classify──▶ ClassifiedSet[] ──aggregate──▶ AggregateResult ──analyses, report──▶ outputs/
 */
import { UserError } from './util/errors.ts';
import { aggregateStage, type AggregateResult } from './aggregate/aggregate-stage.ts';
import { classifyStage, type ClassifiedSet } from './classify/classify-stage.ts';
import type { AnalysisConfig } from './config/analysis-config.ts';
import { fitStage, type CurveSet } from './fit/fit-stage.ts';
import { ingestRegistry, type IngestResult } from './ingest/ingest.ts';
import { formatProblem } from './ingest/problems.ts';
import { normalize, type Dataset } from './normalize/normalize.ts';
import { shownPath, STUDIES_DIR } from './util/paths.ts';

export interface PipelineResult {
  ingest: IngestResult;
  dataset: Dataset;
  curveSets: CurveSet[];
  classified: ClassifiedSet[];
  aggregate: AggregateResult;
}

export type Stage = 'ingest' | 'normalize' | 'fit' | 'classify' | 'aggregate';

export function ingestAndNormalize(registryDir = STUDIES_DIR): { ingest: IngestResult; dataset: Dataset } {
  const ingest = ingestRegistry(registryDir);
  if (ingest.problemCount > 0) {
    const shown = ingest.problems.slice(0, 20).map(formatProblem).join('\n');
    throw new UserError(`the registry has ${ingest.problemCount} problem(s); run make validate for all of them:\n${shown}`);
  }
  return { ingest, dataset: normalize(ingest.studies, ingest.vocabulary) };
}

export async function runPipeline(config: AnalysisConfig, registryDir = STUDIES_DIR, log: (line: string) => void = () => {}): Promise<PipelineResult> {
  log(`ingest + normalize: reading ${shownPath(registryDir)}/`);
  const { ingest, dataset } = ingestAndNormalize(registryDir);
  log(`fit: ${dataset.studies.length} studies, every task on the study's headline x`);
  const curveSets = fitStage(dataset, config);
  log(`classify: ${curveSets.reduce((n, s) => n + s.curves.length, 0)} curves`);
  const classified = classifyStage(curveSets, config.rules);
  const aggregate = await aggregateStage(dataset, classified, config, log);
  return { ingest, dataset, curveSets, classified, aggregate };
}
