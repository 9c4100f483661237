/**
 * Everything `make reproduce` writes, in order: the pipeline's stages, then each analysis's files,
 * then the report. Separate from the CLI so tests can run it into a temporary folder.
 */
import { mkdirSync } from 'node:fs';
import { runAnalyses } from './analyses/index.ts';
import { closeBootstrapPool, warmBootstrapPool } from './aggregate/bootstrap-pool.ts';
import { sensitivityAnalysis, writeSensitivity } from './analyses/sensitivity.ts';
import { labelStability, writeStability } from './analyses/stability.ts';
import { reproductionDocument, writeReproduction } from './aggregate/write-reproduction.ts';
import type { AnalysisConfig } from './classify/config.ts';
import { writePoints } from './fit/write-points.ts';
import { runPipeline, type PipelineResult } from './run.ts';
import { copyConfig } from './classify/config.ts';
import { writeRuleSetAnalyses } from './analyses/rule-set-analyses.ts';

export interface ReproduceOptions {
  config: AnalysisConfig;
  studiesDir: string;
  outputsDir: string;
  log?: (line: string) => void;
}

export interface ReproduceResult {
  result: PipelineResult;
  documents: ReturnType<typeof reproductionDocument>[];
  written: string[];
}

export async function reproduce({ config, studiesDir, outputsDir, log = () => {} }: ReproduceOptions): Promise<ReproduceResult> {
  mkdirSync(outputsDir, { recursive: true });
  warmBootstrapPool();
  const result = await runPipeline(config, studiesDir, log);
  const { dataset, aggregate } = result;
  const written: string[] = [writePoints(outputsDir, dataset, aggregate.summaries.map((s) => s.set))];
  const documents = aggregate.comparisons.map((comparison) => reproductionDocument(comparison, config, comparison.summary.set.x.canonical, dataset.studies.find((s) => s.id === comparison.summary.study)!.metadata));
  for (const document of documents) written.push(...writeReproduction(outputsDir, document));
  written.push(writeStability(outputsDir, labelStability(aggregate.summaries, aggregate.comparisons)));
  written.push(writeSensitivity(outputsDir, await sensitivityAnalysis(dataset, aggregate.summaries, config, log)));
  written.push(...writeRuleSetAnalyses(outputsDir, aggregate, config));
  await closeBootstrapPool();
  written.push(...runAnalyses(dataset, config, outputsDir, log));
  written.push(...copyConfig(config, outputsDir));
  // Imported here, not above: vega and vega-lite take a second to load, and only the report needs them.
  const { renderReport } = await import('./report/render-report.ts');
  written.push(...(await renderReport(outputsDir, log)));
  return { result, documents, written };
}
