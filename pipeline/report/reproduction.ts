/**
 * The shapes the report reads from outputs/ (written by pipeline/aggregate/write-reproduction.ts and
 * pipeline/fit/write-points.ts), and the committed configuration the methods section describes.
 * Only what the report uses is typed here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rule } from '../config/analysis-config.ts';
import { CONFIG_DIR } from '../util/paths.ts';
import type { OutputsReader } from './section.ts';

export interface Agreement {
  agree: number;
  total: number;
  kappa: number;
  labels: string[];
  /** Rows published, columns reproduced, in `labels` order. */
  matrix: number[][];
}

/** Bibliographic details of a study, when the aggregate stage records them. All contributed text. */
export interface StudyInfo {
  title?: string;
  authors?: string[];
  year?: number;
  venue?: string;
}

export interface TaskResult {
  task: string;
  name: string;
  published: string | null;
  reproduced: string;
  rule: number;
  fit: { epsilon: number; k: number; logK: number; gamma: number; sse: number; r2: number; n: number };
  features: Record<string, number>;
  stability: Record<string, number>;
}

export interface Reproduction {
  schemaVersion: number;
  configVersion: string;
  study: string;
  claims: string;
  /** Canonical id of the validation set whose loss is x. */
  x: string;
  /** The study's own id of that validation set (the x_set column of points.csv). */
  xSet: string;
  /** Optional: title, authors, year of the study and of the claims, if recorded. */
  studyInfo?: StudyInfo;
  claimsInfo?: StudyInfo;
  published: { predictable: number; total: number; fraction: number; counts: Record<string, number> };
  reproduced: {
    predictable: number;
    total: number;
    fraction: number;
    ci95: number[];
    /** The interval's ends as counts of tasks (absent in reports before 0.3). */
    ci95Count?: number[];
    counts: Record<string, number>;
    bootstrap: { replicates: number; seed: number; resampling: string; covers?: string };
    /** Absent in reports before 0.3. */
    taskInterval?: { method: string; covers: string; ci95: number[] };
  };
  agreement: { binary: Agreement; categories: Agreement; matrixRows: string; matrixColumns: string };
  /** Absent in reports before 0.3. */
  leaveOneTaskOut?: { binary: { agree: number; total: number }; categories: { agree: number; total: number }; tieBreak: string };
  rules: string[];
  tasks: TaskResult[];
  /** One entry per study of the registry (absent in reports made before it existed). */
  studies?: StudyEntry[];
}

/** One study's results (reproduction.json `studies`). */
export interface StudyEntry {
  study: string;
  claims: string | null;
  x: { axis: string; canonical: string; unit: string; set?: string };
  level: string;
  runs: number;
  points: number;
  checkpoints: number;
  tasks: number;
  fitted: number;
  predictable: number;
  fraction: number | null;
  ci95: number[] | null;
  insufficientData: { task: string; name: string; points: number; runs: number; reason: string }[];
  taskResults: {
    task: string;
    name: string;
    published: string | null;
    label: string;
    rule: number | null;
    points: number;
    runs: number;
    reason: string | null;
    fit: TaskResult['fit'] | null;
    features: Record<string, number> | null;
    stability: Record<string, number> | null;
  }[];
}

export const REPRODUCTION_FILE = 'reproduction.json';
export const POINTS_FILE = 'points.csv';
export const TASKS_FILE = 'tasks.csv';

/** The headline document; undefined when absent or when no study has published claims (only `studies` is there). */
export function readReproduction(outputs: OutputsReader): Reproduction | undefined {
  if (!outputs.exists(REPRODUCTION_FILE)) return undefined;
  const doc = outputs.json<Reproduction>(REPRODUCTION_FILE);
  return typeof doc.study === 'string' && doc.agreement !== undefined ? doc : undefined;
}

/** A row of outputs/points.csv, typed. */
export interface Point {
  study: string;
  xSet: string;
  task: string;
  model: string;
  corpus: string;
  params: number | null;
  tokens: number | null;
  x: number;
  error: number;
}

export function readPoints(outputs: OutputsReader): readonly Point[] {
  if (!outputs.exists(POINTS_FILE)) return [];
  const number = (text: string | undefined): number | null => (text === undefined || text === '' ? null : Number(text));
  return outputs.csv(POINTS_FILE).map((row) => ({
    study: row.study ?? '',
    xSet: row.x_set ?? '',
    task: row.task ?? '',
    model: row.model ?? '',
    corpus: row.corpus ?? '',
    params: number(row.params),
    tokens: number(row.tokens),
    x: number(row.x) ?? Number.NaN,
    error: number(row.error) ?? Number.NaN,
  }));
}

/** What the methods section needs from pipeline/config/analysis.json. */
export interface AnalysisConfigView {
  version: string;
  fit: { form: string; bounds: Record<string, [number, number]> };
  features?: { reversalBins?: number; minPointsPerBin?: number };
  rules?: Rule[];
  bootstrap: { replicates: number; seed: number };
  calibration?: string;
}

export interface CalibrationView {
  configVersion: string;
  claims: string;
  study: string;
  x: string;
  objective: string;
  gridSize: number;
  chosen: { thresholds: Record<string, number>; sixWay: number; binary: number };
  leaveOneOut: { sixWay: number; binary: number; total: number };
}

/**
 * A committed configuration file: outputs/config/<name> when the pipeline copied it there (so a
 * published report carries it), else pipeline/config/<name>; undefined when neither exists.
 */
export function readConfigFile<T>(outputs: OutputsReader, name: string): T | undefined {
  if (outputs.exists(`config/${name}`)) return outputs.json<T>(`config/${name}`);
  try {
    return JSON.parse(readFileSync(join(CONFIG_DIR, name), 'utf8')) as T;
  } catch {
    return undefined;
  }
}
