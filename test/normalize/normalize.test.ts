/** Stage 2 on the good fixture: unit conversion, empty cells, usable checkpoints and declared x axes. */
import { afterAll, describe, expect, it } from 'vitest';
import { lossInNats, normalize, type NormalizedStudy } from '../../pipeline/normalize/normalize.ts';
import { copyRegistry, editJson, removeTempDirs, setCell, validate } from '../helpers/registry.ts';

afterAll(removeTempDirs);

function normalizedStudy(dir: string, id: string): NormalizedStudy {
  const result = validate(dir);
  expect(result.lines).toEqual([]);
  return normalize(result.studies, result.vocabulary).studies.find((s) => s.id === id)!;
}

describe('lossInNats', () => {
  it('converts bits per byte by ln 2 and perplexity by ln, and leaves nats alone', () => {
    expect(lossInNats(1, 'bits per byte')).toBeCloseTo(Math.LN2, 15);
    expect(lossInNats(Math.E ** 3, 'perplexity')).toBeCloseTo(3, 12);
    expect(lossInNats(3.25)).toBe(3.25);
  });
});

describe('normalize', () => {
  it('turns an empty task cell into NaN (not evaluated), distinct from an accuracy of 0', () => {
    const dir = copyRegistry();
    setCell(dir, 'synthetic-models/observations.csv', 3, 'task:toy_mc', '');
    setCell(dir, 'synthetic-models/observations.csv', 4, 'task:toy_mc', '0');
    const error = normalizedStudy(dir, 'synthetic-models').models.error.get('toy_mc')!;
    expect(Number.isNaN(error[1]!)).toBe(true);
    expect(error[2]).toBe(1);
  });

  it('converts a perplexity column to nats per token and says so in the axis unit', () => {
    const dir = copyRegistry();
    editJson(dir, 'synthetic-models/study.json', (j) => void (j.observations.validationSets[0].unit = 'perplexity'));
    const study = normalizedStudy(dir, 'synthetic-models');
    expect(study.models.loss.get('web')![0]).toBeCloseTo(Math.log(4.1), 12);
    expect(study.axes[0]).toMatchObject({ id: 'loss:web', kind: 'loss', unit: 'nats per token' });
    expect(study.models.axes.get('loss:web')).toBe(study.models.loss.get('web'));
  });

  it('derives x = ln(10^26 / (6·N·D)) for a declared log-compute axis: positive, falling as compute grows', () => {
    const dir = copyRegistry();
    editJson(dir, 'synthetic-models/study.json', (j) => void (j.observations.x = { kind: 'log-compute', why: 'test' }));
    const study = normalizedStudy(dir, 'synthetic-models');
    expect(study.declaredAxis).toMatchObject({ id: 'log-compute', canonical: 'log-compute' });
    const x = study.models.axes.get('log-compute')!;
    expect(x[0]).toBeCloseTo(Math.log(1e26 / (6 * 1e6 * 2e7)), 12);
    expect(x[0]).toBeGreaterThan(x[3]!);
    expect(x[3]).toBeGreaterThan(0);
  });

  it('keeps the checkpoints the declared rule makes usable, always including the final one', () => {
    const dir = copyRegistry();
    const file = 'synthetic-checkpoints/study.json';
    const usableSteps = (use: object): (number | null)[] => {
      editJson(dir, file, (j) => void (j.observations.checkpoints = { ...use, why: 'test' }));
      return normalizedStudy(dir, 'synthetic-checkpoints').usable.step;
    };
    expect(usableSteps({ use: 'all' })).toEqual([100, 200, 100, 200, 100, 200]);
    expect(usableSteps({ use: 'final' })).toEqual([200, 200, 200]);
    expect(usableSteps({ use: 'after-fraction', fraction: 0.5 })).toEqual([100, 200, 100, 200, 100, 200]);
    expect(usableSteps({ use: 'after-fraction', fraction: 0.6 })).toEqual([200, 200, 200]);
    expect(normalizedStudy(dir, 'synthetic-checkpoints').checkpointRule).toMatchObject({ use: 'after-fraction', fraction: 0.6 });
  });
});
