/**
 * Words, not identifiers: every feature, behaviour and analysis choice has a label and a meaning in
 * pipeline/config/labels.json, and the report shows those words instead of identifiers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../pipeline/config/analysis-config.ts';
import { FEATURE_NAMES } from '../../pipeline/fit/features.ts';
import { choiceLabel, columnMeaning, describeRule, labels, LABELS_PATH, loadLabels, parseThresholdChoice, settingLabel, thresholdChoiceId } from '../../pipeline/classify/labels.ts';
import { validator } from '../../pipeline/util/schemas.ts';
import { renderReport } from '../../pipeline/report/render-report.ts';
import { glossarySection } from '../../pipeline/report/sections/glossary.ts';
import { writeFileAtomic } from '../../pipeline/util/files.ts';
import { htmlText, identifierLeaks } from './identifiers.ts';
import { CORE_SECTIONS, makeTempDir, removeTempDirs, writeSyntheticOutputs } from './fixtures.ts';

const defs = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'schemas', 'defs.schema.json'), 'utf8')) as { $defs: { behaviour: { enum: string[] } } };

describe('labels.json', () => {
  it('is valid against its schema, and the schema rejects a label with a backslash or a missing meaning', () => {
    const value = JSON.parse(readFileSync(LABELS_PATH, 'utf8')) as Record<string, unknown>;
    expect(validator('labels')(value)).toBe(true);
    const broken = structuredClone(value) as { features: Record<string, { label: string; meaning?: string }> };
    broken.features.r2!.label = 'R2 \\>= x';
    expect(validator('labels')(broken)).toBe(false);
    delete broken.features.r2!.meaning;
    broken.features.r2!.label = 'fit quality';
    expect(validator('labels')(broken)).toBe(false);
  });

  it('names every feature, every behaviour and every choice of the configuration', () => {
    for (const feature of FEATURE_NAMES) expect(labels().features[feature]?.meaning, feature).toBeTruthy();
    for (const behaviour of defs.$defs.behaviour.enum) expect(labels().behaviours[behaviour]?.rule, behaviour).toBeTruthy();
    for (const choice of ['default', 'validation set for x', 'models', 'fit form', 'metric', 'tasks']) expect(labels().choices[choice], choice).toBeDefined();
    for (const rule of loadConfig().rules) expect(describeRule(rule, 1)).not.toMatch(/`|\\|[<>]/);
  });

  it('turns a threshold sweep id into words and back', () => {
    const id = thresholdChoiceId('breakthrough', { feature: 'shapeGap', op: '>=' });
    expect(parseThresholdChoice(id)).toEqual({ behaviour: 'breakthrough', feature: 'shapeGap', op: '>=' });
    expect(settingLabel(id, '0.25')).toBe('breakthrough when gain of a free monotone curve is at least 0.25');
    expect(choiceLabel('fit form')).toBe('fit form');
    expect(settingLabel('fit form', 'straight line')).toBe('fit form: straight line');
  });

  it('documents CSV columns, resolving references and prefixes', () => {
    expect(columnMeaning('tasks.csv', 'shape_gap')).toMatch(/^Gain of a free monotone curve: R² of the best monotone/);
    expect(columnMeaning('tasks.csv', 'share_noisy')).toMatch(/share of bootstrap replicates/);
    expect(columnMeaning('tasks.csv', 'no_such_column')).toBeUndefined();
  });

  it('names the file and the field when labels.json is broken', () => {
    const dir = makeTempDir('labels-');
    const path = join(dir, 'labels.json');
    writeFileAtomic(path, JSON.stringify({ behaviours: {}, features: { r2: { label: 'R²' } }, choices: {}, terms: {}, columns: {} }));
    expect(() => loadLabels(path)).toThrow(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: /features/r2`));
  });
});

let outputs: string;
beforeAll(async () => {
  outputs = makeTempDir();
  writeSyntheticOutputs(outputs);
  await renderReport(outputs, () => {}, [...CORE_SECTIONS, glossarySection]);
});
afterAll(removeTempDirs);

describe('the report in words', () => {
  it('report.md and the text of report.html contain no internal identifiers', () => {
    const markdown = readFileSync(join(outputs, 'report', 'report.md'), 'utf8');
    const html = htmlText(readFileSync(join(outputs, 'report', 'report.html'), 'utf8'));
    expect(identifierLeaks(markdown)).toEqual([]);
    expect(identifierLeaks(html)).toEqual([]);
    expect(markdown).toContain('**trendless** (no trend beyond sampling noise) when trend strength in standard errors is below 2');
  });

  it('the leak check catches what it is meant to catch', () => {
    expect(identifierLeaks('threshold: breakthrough shapeGap \\>=: 0.25')).toHaveLength(2);
    expect(identifierLeaks('decided by rule 6')).toHaveLength(1);
    expect(identifierLeaks('gain of a free monotone curve ≥ 0.25')).toEqual([]);
  });
});
