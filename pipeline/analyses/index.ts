/**
 * Stage 6, analyses: what goes beyond reproducing the headline. Each analysis is a pure function of
 * the dataset and the configuration plus a writer of its CSVs under outputs/; the report reads
 * those files only.
 */
import type { AnalysisConfig } from '../config/analysis-config.ts';
import type { CurveSet } from '../fit/fit-stage.ts';
import type { Dataset } from '../normalize/normalize.ts';
import { crossStudy, writeCrossStudy } from './cross-study.ts';
import { extrapolation, writeExtrapolation } from './extrapolation.ts';
import { validationFlips, writeValidationFlips } from './validation-flips.ts';

/** Run the validation-flips, cross-study and extrapolation analyses; returns the files written. */
export function runAnalyses(dataset: Dataset, config: AnalysisConfig, outputsDir: string, log: (line: string) => void = () => {}, fitted: readonly CurveSet[] = []): string[] {
  const written: string[] = [];
  const timed = (name: string, run: () => string[]): void => {
    const started = performance.now();
    const files = run();
    written.push(...files);
    log(`analyses: ${name} (${Math.round(performance.now() - started)} ms, ${files.length} files)`);
  };
  timed('validation-set flips', () => writeValidationFlips(outputsDir, validationFlips(dataset, config)));
  timed('cross-study behaviour', () => writeCrossStudy(outputsDir, crossStudy(dataset, config, fitted)));
  timed('extrapolation to held-out models', () => writeExtrapolation(outputsDir, extrapolation(dataset, config)));
  return written;
}
