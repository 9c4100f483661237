/**
 * The analysis configuration (pipeline/config/analysis.json), checked against its schema on load.
 * It sits below every stage (fit, classify, aggregate and the analyses all read it), so its types
 * mirror schemas/analysis-config.schema.json rather than importing them from a stage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors.ts';
import { formatJson, writeFileAtomic } from '../util/files.ts';
import { CONFIG_DIR } from '../util/paths.ts';
import { readCheckedJson } from '../util/schemas.ts';
import type { Behaviour } from './behaviours.ts';

/** The curve features a rule may read (the schema's enum); fit/features.ts computes each of them (classify/rules.ts checks that at compile time). */
export type FeatureName = 'r2' | 'trendT' | 'absTrendT' | 'trendSize' | 'reversalZ' | 'curvature' | 'shapeGap' | 'scatterOverNoise' | 'shapeGapOverNoise';

/** Box bounds of the exponential's three parameters: ε, ln k and γ (each [lower, upper]). */
export interface ExponentialBounds {
  epsilon: readonly [number, number];
  logK: readonly [number, number];
  gamma: readonly [number, number];
}

export interface Condition {
  feature: FeatureName;
  op: '<' | '<=' | '>' | '>=';
  threshold: number;
  sweep?: number[];
}

export interface Rule {
  behaviour: Behaviour;
  match: 'all' | 'any';
  conditions: Condition[];
  why: string;
}

export interface AnalysisConfig {
  version: string;
  x: { canonical: string };
  fit: { form: 'exponential'; bounds: ExponentialBounds };
  features: { reversalBins: number; minPointsPerBin: number };
  rules: Rule[];
  /** When a curve has enough data to be fitted (see fit-stage.ts). */
  sufficiency: { minPoints: number; minRuns: number; why: string };
  /** replicates: studies with published claims; otherStudiesReplicates (capped at replicates): the rest. */
  bootstrap: { replicates: number; seed: number; otherStudiesReplicates: number };
  sensitivity: { replicates: number; studies: 'with claims' | 'all'; excludeTasks: { study: string; task: string; reason: string }[] };
  calibration?: string;
}

export const DEFAULT_CONFIG_PATH = join(CONFIG_DIR, 'analysis.json');

export function loadConfig(path = DEFAULT_CONFIG_PATH): AnalysisConfig {
  const config = readCheckedJson<AnalysisConfig>(path, 'analysis-config', 'the analysis configuration');
  const last = config.rules[config.rules.length - 1]!;
  if (last.conditions.length > 0) throw new UserError(`${path}: /rules: the last rule must have no conditions, so every task gets a behaviour`);
  return config;
}

/**
 * outputs/config/: the configuration this run used (as loaded, so command-line overrides show) and
 * the committed calibration record, so a published report carries the rules that made it.
 */
export function copyConfig(config: AnalysisConfig, outputsDir: string): string[] {
  const written = [join(outputsDir, 'config', 'analysis.json')];
  writeFileAtomic(written[0]!, formatJson(config));
  const calibration = join(CONFIG_DIR, 'calibration.json');
  if (existsSync(calibration)) {
    written.push(join(outputsDir, 'config', 'calibration.json'));
    writeFileAtomic(written[1]!, readFileSync(calibration, 'utf8'));
  }
  return written;
}
