/**
 * `make calibrate`: search the rule thresholds against the published labels and write
 * pipeline/config/calibration.json (committed), with leave-one-task-out agreement.
 * With --apply, also writes the chosen thresholds into the analysis configuration.
 */
import { readFileSync } from 'node:fs';
import { calibrate, withThresholds, type LeaveOneOut } from '../classify/calibrate.ts';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../config/analysis-config.ts';
import { fitCurveSet, headlineAxis } from '../fit/fit-stage.ts';
import { ingestAndNormalize } from '../run.ts';
import { formatJson, round, writeFileAtomic } from '../util/files.ts';
import { CONFIG_DIR, shownPath, STUDIES_DIR } from '../util/paths.ts';
import { join } from 'node:path';
import type { Command } from './command.ts';
import { UserError } from '../util/errors.ts';
import { parseOptions, registryOption } from './options.ts';

export const CALIBRATION_PATH = join(CONFIG_DIR, 'calibration.json');

export const calibrateCommand: Command = {
  summary: 'Choose rule thresholds by agreement with published labels; report leave-one-task-out agreement',
  help: 'Options:\n  --studies DIR  registry to read (default studies/)\n  --apply        also write the chosen thresholds into pipeline/config/analysis.json',
  async run(args) {
    const options = parseOptions(args, { apply: { type: 'boolean', default: false }, studies: { type: 'string', default: STUDIES_DIR } });
    const studiesDir = registryOption(options.studies as string);
    const config = loadConfig();
    console.log(`calibrate: reading ${shownPath(studiesDir)}/`);
    const { dataset } = ingestAndNormalize(studiesDir);
    const claimSet = dataset.claimSets[0];
    if (!claimSet) throw new UserError('no study with published claims to calibrate against');
    const study = dataset.studies.find((s) => s.id === claimSet.claims.about)!;
    const axis = headlineAxis(dataset, study, config)!;
    const labels = new Map(claimSet.claims.labels.map((l) => [l.task, l.behaviour]));
    const set = fitCurveSet(study, axis, config);
    const items = set.curves.filter((c) => labels.has(c.task.id)).map((c) => ({ task: c.task.id, features: c.analysis.features, published: labels.get(c.task.id)! }));
    console.log(`calibrate: ${items.length} tasks of ${study.id} against ${claimSet.id}`);
    const result = calibrate(config.rules, items);
    const document = {
      $comment: 'Written by `make calibrate`; do not edit. Thresholds keyed rule.condition (1-based).',
      configVersion: config.version,
      claims: claimSet.id,
      study: study.id,
      x: axis.set?.id ?? axis.id,
      objective: 'most six-way agreement, then most predictable-vs-not agreement; among tied optima the in-sample choice keeps the point closest to the configured thresholds',
      gridSize: result.gridSize,
      chosen: result.chosen,
      leaveOneOut: roundLeaveOneOut(result.leaveOneOut),
    };
    writeFileAtomic(CALIBRATION_PATH, formatJson(document));
    const loo = result.leaveOneOut;
    console.log(`calibrate: grid of ${result.gridSize}; in-sample six-way ${result.chosen.sixWay}/${items.length}, predictable-vs-not ${result.chosen.binary}/${items.length} (${result.chosen.tiedOptima} grid points tie for best)`);
    console.log(`calibrate: leave-one-task-out six-way ${formatCount(loo.sixWay)}/${loo.total}, predictable-vs-not ${formatCount(loo.binary)}/${loo.total} (${loo.tieBreak})`);
    console.log(`calibrate: chosen thresholds ${JSON.stringify(result.chosen.thresholds)}; wrote ${CALIBRATION_PATH}`);
    if (options.apply) {
      const raw = JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'));
      raw.rules = withThresholds(config.rules, result.chosen.thresholds);
      raw.calibration = 'Thresholds chosen by `make calibrate` against lourie2025; see pipeline/config/calibration.json for leave-one-task-out agreement.';
      writeFileAtomic(DEFAULT_CONFIG_PATH, formatJson(raw));
      console.log(`calibrate: applied to ${DEFAULT_CONFIG_PATH}`);
    }
    return 0;
  },
};

/** Averaged agreements are fractions of a task: kept to 4 decimals in the committed record. */
export function roundLeaveOneOut(loo: LeaveOneOut): LeaveOneOut {
  return { ...loo, sixWay: round(loo.sixWay, 4), binary: round(loo.binary, 4), tasks: loo.tasks.map((t) => ({ ...t, sixWay: round(t.sixWay, 4), binary: round(t.binary, 4) })) };
}

/** A count that may be an average (37.52) or whole (41). */
function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
