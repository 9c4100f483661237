/**
 * Everything `make reproduce` writes, in order: the pipeline's stages, then each analysis's files,
 * then the report, then the run record. Separate from the CLI so tests can run it into a temporary folder.
 *
 * All of it is written into a new generation (a sibling temporary folder) that replaces outputs/ only
 * when complete (pipeline/util/generation.ts), so a failed or killed run leaves the previous outputs.
 */
import { join, relative } from 'node:path';
import { runAnalyses } from './analyses/index.ts';
import { closeBootstrapPool, useBootstrapJobCache, warmBootstrapPool } from './aggregate/bootstrap-pool.ts';
import { sensitivityAnalysis, writeSensitivity } from './analyses/sensitivity.ts';
import { labelStability, writeStability } from './analyses/stability.ts';
import { registrySynthesis, writeRegistry } from './analyses/registry.ts';
import { reproductionDocument, studyEntry, writeReproduction } from './aggregate/write-reproduction.ts';
import type { AnalysisConfig } from './config/analysis-config.ts';
import { CHARTS_DIR, openChartCache, type ChartCache } from './report/chart-cache.ts';
import { openContentCache } from './util/content-cache.ts';
import { writePoints } from './fit/write-points.ts';
import { runPipeline, type PipelineResult } from './run.ts';
import { copyConfig, DEFAULT_CONFIG_PATH } from './config/analysis-config.ts';
import { writeRuleSetAnalyses } from './analyses/rule-set-analyses.ts';
import { formatJson } from './util/files.ts';
import { beginGeneration, checkReplaceable } from './util/generation.ts';
import { sha256Text } from './util/provenance.ts';
import { RUN_RECORD_FILE, writeRunRecord } from './util/run-record.ts';

export interface ReproduceOptions {
  config: AnalysisConfig;
  studiesDir: string;
  outputsDir: string;
  /** The file `config` was loaded from (recorded with its hash); default pipeline/config/analysis.json. */
  configPath?: string;
  /** Repository root whose git state, schemas and package versions the run record names (default the project's). */
  root?: string;
  log?: (line: string) => void;
  /**
   * Where earlier runs' bootstrap results and charts are kept (bootstrap/, charts/), and the code
   * version they must match: what an unchanged study needs is read, not computed (none: compute everything).
   */
  cache?: { dir: string; codeVersion: string };
}

export interface ReproduceResult {
  result: PipelineResult;
  documents: ReturnType<typeof reproductionDocument>[];
  written: string[];
  /** sha256 of every file written but the run record, by path inside outputsDir (the run record's list). */
  hashes: Record<string, string>;
}

export async function reproduce({ config, studiesDir, outputsDir, configPath = DEFAULT_CONFIG_PATH, root, log = () => {}, cache }: ReproduceOptions): Promise<ReproduceResult> {
  checkReplaceable(outputsDir);
  const generation = beginGeneration(outputsDir);
  const jobCache = cache && openContentCache(join(cache.dir, BOOTSTRAP_DIR), cache.codeVersion, '.f64');
  const chartCache = cache && openChartCache(join(cache.dir, CHARTS_DIR), cache.codeVersion);
  useBootstrapJobCache(jobCache);
  try {
    const { result, documents, written } = await writeGeneration(config, studiesDir, generation.dir, log, chartCache);
    if (jobCache) {
      const { reused, stored } = jobCache.finish();
      log(`cache: ${reused} bootstrap jobs unchanged since the last run were read, ${stored} computed`);
    }
    const record = await writeRunRecord(generation.dir, { registryDir: studiesDir, configPath, configSha256: sha256Text(formatJson(config)), root });
    generation.commit();
    // Paths as they are after the swap.
    const final = [...written, join(generation.dir, RUN_RECORD_FILE)].map((path) => join(outputsDir, relative(generation.dir, path)));
    return { result, documents, written: final, hashes: record.outputs };
  } catch (error) {
    generation.abort();
    throw error;
  } finally {
    useBootstrapJobCache(undefined);
    await closeBootstrapPool();
  }
}

/** The bootstrap job cache's folder inside the reproduce cache (.cache/reproduce/bootstrap/). */
const BOOTSTRAP_DIR = 'bootstrap';

async function writeGeneration(config: AnalysisConfig, studiesDir: string, outputsDir: string, log: (line: string) => void, chartCache: ChartCache | undefined): Promise<Omit<ReproduceResult, 'hashes'>> {
  warmBootstrapPool();
  const result = await runPipeline(config, studiesDir, log);
  const { dataset, aggregate } = result;
  const written: string[] = [writePoints(outputsDir, dataset, aggregate.summaries.map((s) => s.set))];
  const documents = aggregate.comparisons.map((comparison) => reproductionDocument(comparison, config, comparison.summary.set.axis.canonical, dataset.studies.find((s) => s.id === comparison.summary.study)!.metadata));
  const entries = aggregate.headlineSets.map((set) =>
    studyEntry(
      {
        study: dataset.studies.find((s) => s.id === set.study)!,
        set,
        summary: aggregate.summaries.find((s) => s.set === set),
        comparison: aggregate.comparisons.find((c) => c.summary.set === set),
      },
      config,
    ),
  );
  // The sensitivity's refits start on the workers first; this thread writes everything that does
  // not depend on them meanwhile, then waits for them.
  const sensitivity = sensitivityAnalysis(dataset, aggregate.summaries, config, log);
  // reproduction.json's top-level fields describe the first study with published claims.
  written.push(...writeReproduction(outputsDir, documents[0], entries));
  written.push(writeStability(outputsDir, labelStability(aggregate.summaries, aggregate.comparisons)));
  written.push(...writeRegistry(outputsDir, registrySynthesis(dataset, aggregate)));
  written.push(...writeRuleSetAnalyses(outputsDir, aggregate, config));
  written.push(...runAnalyses(dataset, config, outputsDir, log, result.curveSets));
  written.push(...copyConfig(config, outputsDir));
  written.push(writeSensitivity(outputsDir, await sensitivity));
  await closeBootstrapPool();
  // Imported here, not above: vega and vega-lite take a second to load, and only the report needs them.
  const { renderReport } = await import('./report/render-report.ts');
  written.push(...(await renderReport(outputsDir, log, undefined, chartCache)));
  return { result, documents, written };
}
