/**
 * Valid input must not crash reproduce. Failed before the fix: a task, validation-set or benchmark id
 * "constructor" made Vega fail ("Operator not defined") when it reached an expression (a sort array)
 * or a title; a loss below ~3e-15 made the power-law sensitivity variant throw a RangeError inside a
 * bootstrap worker; a study with x = log-params and 10^28 parameters (valid: only "positive" was
 * checked) threw a RangeError from the headline fit (found by this suite).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sensitivityAnalysis } from '../../pipeline/analyses/sensitivity.ts';
import { aggregateStage } from '../../pipeline/aggregate/aggregate-stage.ts';
import { classifyStage } from '../../pipeline/classify/classify-stage.ts';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { fitCurveSet, fitStage } from '../../pipeline/fit/fit-stage.ts';
import { UserError } from '../../pipeline/util/errors.ts';
import { compileChart, renderSvg } from '../../pipeline/report/render-chart.ts';
import type { OutputsReader, SectionBuilder } from '../../pipeline/report/section.ts';
import { crossStudySection } from '../../pipeline/report/sections/cross-study.ts';
import { stabilitySection } from '../../pipeline/report/sections/stability.ts';
import { reproduce } from '../../pipeline/reproduce.ts';
import { copyRegistry, editJson, editText, makeTempDir, removeTempDirs, setCell, validate } from '../helpers/registry.ts';
import { datasetOf, predictableTruth, syntheticStudy } from '../helpers/synthetic-study.ts';

afterAll(removeTempDirs);

/** Names on every JavaScript object: "constructor" is a valid id, the others valid task or study names. */
const HOSTILE_IDS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty'];

function reader(files: Record<string, Record<string, string>[]>): OutputsReader {
  return {
    dir: '/nonexistent',
    exists: (name) => name in files,
    json: () => {
      throw new Error('not used');
    },
    csv: (name) => files[name] ?? [],
  };
}

function renderAll(builder: SectionBuilder, outputs: OutputsReader): number {
  const section = builder(outputs);
  expect(section).toBeDefined();
  for (const chart of section!.charts) expect(renderSvg(compileChart(chart.spec))).toContain('<svg');
  return section!.charts.length;
}

describe('ids such as "constructor" reach Vega only as data', () => {
  it('the label-stability chart (task ids in an explicit order)', () => {
    const rows = ['constructor', 'alpha', 'tostring'].map((task, i) => ({
      study: 'constructor',
      task,
      share_predictable: String(0.5 + i / 10),
      share_noisy: String(0.5 - i / 10),
      stable: i === 2 ? 'true' : 'false',
      winner: 'predictable',
      winner_share: String(0.5 + i / 10),
      reproduced: 'predictable',
      published: 'noisy',
    }));
    expect(renderAll(stabilitySection, reader({ 'stability.csv': rows }))).toBe(1);
  });

  it('the cross-study chart titled by a benchmark id', () => {
    const points = ['a2024', 'b2024'].flatMap((study) =>
      [3, 3.5, 4].map((x, i) => ({ study, benchmark: 'constructor', task: 'valueof', model: `m${i}`, x: String(x), error: String(0.5 + i / 10), fitted: String(0.5 + i / 10) })),
    );
    const pairs = [
      { study_a: 'a2024', study_b: 'b2024', benchmark: 'constructor', task_a: 'valueof', task_b: 'valueof', shots_a: '0', shots_b: '0', behaviour_a: 'predictable', behaviour_b: 'noisy', r2_a: '0.9', r2_b: '0.1', n_a: '3', n_b: '3', same_behaviour: 'false', comparable: 'true', preferred: 'true', note: '' },
    ];
    const outputs = reader({ 'cross-study.csv': pairs, 'cross-study-points.csv': points });
    expect(renderAll(crossStudySection, outputs)).toBe(1);
  });

  it.each(HOSTILE_IDS)('titles, axis and legend titles equal to %s render', (id) => {
    const spec = {
      title: { text: id, subtitle: id },
      data: { values: HOSTILE_IDS.map((task, i) => ({ task, share: i })) },
      mark: 'bar' as const,
      encoding: { y: { field: 'task', type: 'nominal' as const, title: id }, x: { field: 'share', type: 'quantitative' as const, title: id }, color: { field: 'task', type: 'nominal' as const, title: id } },
    };
    expect(renderSvg(compileChart(spec))).toContain('<svg');
  });
});

describe('reproduce end to end', () => {
  it('a registry whose task, benchmark and validation set are all called "constructor" reproduces, report included', async () => {
    const dir = copyRegistry();
    editText(dir, 'synthetic-models/study.json', (t) => t.replaceAll('"toy_mc"', '"constructor"').replace('"id": "web"', '"id": "constructor"'));
    editText(dir, 'synthetic-models/observations.csv', (t) => t.replace('task:toy_mc', 'task:constructor').replace('loss:web', 'loss:constructor'));
    editText(dir, 'synthetic-claims/claims.json', (t) => t.replaceAll('"toy_mc"', '"constructor"').replace('"x": "web"', '"x": "constructor"'));
    editText(dir, 'synthetic-checkpoints/study.json', (t) => t.replaceAll('"benchmark": "toy_mc"', '"benchmark": "constructor"'));
    editText(dir, 'vocabulary.json', (t) => t.replace('"id": "toy_mc"', '"id": "constructor"'));
    const config = loadConfig();
    config.bootstrap.replicates = 10;
    config.sensitivity.replicates = 5;
    const out = makeTempDir('constructor-out-');
    await reproduce({ config, studiesDir: dir, outputsDir: out });
    expect(existsSync(join(out, 'report', 'report.html'))).toBe(true);
    expect(readFileSync(join(out, 'tasks.csv'), 'utf8')).toContain('constructor');
  }, 180_000);

  it('a corpus, runs and models named after Object.prototype members (constructor, __proto__, toString, hasOwnProperty, valueOf) reproduce', async () => {
    const dir = copyRegistry();
    for (const study of ['synthetic-models', 'synthetic-checkpoints']) {
      editText(dir, `${study}/study.json`, (t) => t.replace('"id": "toyweb"', '"id": "constructor"'));
      editText(dir, `${study}/observations.csv`, (t) => t.replaceAll('toyweb', 'constructor'));
    }
    editText(dir, 'synthetic-checkpoints/observations.csv', (t) => t.replace(/,r1,/g, ',__proto__,').replace(/,r2,/g, ',constructor,').replace(/,r3,/g, ',toString,'));
    editText(dir, 'synthetic-models/observations.csv', (t) => t.replace('m1,', 'toString,').replace('m2,', 'hasOwnProperty,').replace('m3,', 'constructor,').replace('m4,', 'valueOf,'));
    expect(validate(dir).local).toEqual([]);
    const config = loadConfig();
    config.bootstrap.replicates = 10;
    config.sensitivity.replicates = 5;
    config.sensitivity.studies = 'all';
    // The fixture's 4 models and 6 checkpoints are below the configured minimum: allow them, so every stage has curves.
    config.sufficiency.minPoints = 4;
    const out = makeTempDir('prototype-ids-out-');
    await reproduce({ config, studiesDir: dir, outputsDir: out });
    expect(existsSync(join(out, 'report', 'report.html'))).toBe(true);
    const points = readFileSync(join(out, 'points.csv'), 'utf8');
    for (const id of ['__proto__', 'toString', 'hasOwnProperty', 'valueOf']) expect(points).toContain(id);
  }, 180_000);
});

describe('every fit variant guards its domain', () => {
  it('a loss of 1e-15 (valid) skips the power-law variant with its reason instead of crashing a bootstrap worker', async () => {
    const config = loadConfig();
    config.bootstrap.replicates = 10;
    config.sensitivity.replicates = 5;
    // The synthetic study has no published claims: ask for its refitted variants explicitly.
    config.sensitivity.studies = 'all';
    const study = syntheticStudy([
      { id: 'clear1', truth: predictableTruth, items: 3000 },
      { id: 'clear2', truth: predictableTruth, items: 3000 },
    ], { n: 30 });
    study.models.loss.get('val_good')![0] = 1e-15;
    const dataset = datasetOf(study);
    const classified = classifyStage(fitStage(dataset, config), config.rules);
    const aggregate = await aggregateStage(dataset, classified, config);
    const log: string[] = [];
    const rows = await sensitivityAnalysis(dataset, aggregate.summaries, config, (line) => log.push(line));
    expect(rows.some((r) => r.choice === 'fit form' && r.value.startsWith('power'))).toBe(false);
    expect(rows.some((r) => r.choice === 'fit form' && r.value === 'straight line')).toBe(true);
    expect(log.join('\n')).toMatch(/skipped "fit form: power law in loss \(exponential in ln loss\)" because the power form fits in ln x \(smallest x 1\.00e-15\)/);
  }, 120_000);
});

describe('a derived x far below zero', () => {
  it('the validator refuses a scale value no model has (10^28 parameters), by file, line, column and unit', () => {
    const dir = copyRegistry();
    editJson(dir, 'synthetic-models/study.json', (j) => void (j.observations.x = { kind: 'log-params', why: 'a test of the plausibility limit' }));
    setCell(dir, 'synthetic-models/observations.csv', 3, 'params', '1e28');
    expect(validate(dir).local).toEqual(['synthetic-models/observations.csv:3:11: params must be at most 1e+15 count (no model has more parameters; check the unit), found 1e28']);
  });

  it('bounds that cannot take the x give an error naming the study, the x and the configuration, not a RangeError', () => {
    const config = loadConfig();
    config.fit.bounds = { ...config.fit.bounds, gamma: [0, 100] };
    const study = syntheticStudy([{ id: 'clear', truth: predictableTruth, items: 3000 }], { n: 30 });
    const axis = study.axes[0]!;
    // x = ln(10^13 / parameters) for parameters up to 10^15 reaches −4.6; γ up to 100 puts exp() past its range.
    study.usable.axes.set(axis.id, study.usable.axes.get(axis.id)!.map((x) => x - 11));
    let thrown: unknown;
    try {
      fitCurveSet(study, axis, config);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as Error).message).toMatch(new RegExp(`^study ${study.id}, x ${axis.id}: cannot fit ε − k·exp\\(−γ·x\\) under the configured bounds \\(fit\.bounds in the analysis configuration\\): ln k − γ·x reaches`));
  });
});
