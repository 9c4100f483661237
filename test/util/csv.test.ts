/** The one CSV writer: RFC 4180 quoting, and no cell a spreadsheet would run as a formula (OWASP). */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../pipeline/report/render-report.ts';
import { formatCsv } from '../../pipeline/util/files.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SECTIONS, makeTempDir, removeTempDirs, writeSyntheticOutputs } from '../report/fixtures.ts';
import { afterAll } from 'vitest';

afterAll(removeTempDirs);

const HOSTILE = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(A1:A2)', '\tlead tab', '\rlead cr'];

describe('formatCsv', () => {
  it('prefixes a text cell starting with = + - @ TAB or CR with a quote, and quotes it', () => {
    const text = formatCsv(['name', 'value'], HOSTILE.map((name, i) => [name, i]));
    const rows = Papa.parse<string[]>(text, { skipEmptyLines: true }).data.slice(1);
    expect(rows.map((r) => r[0])).toEqual(HOSTILE.map((name) => `'${name}`));
    for (const row of rows) expect(row[0]).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('leaves numbers, numeric text, booleans and ordinary text as they were', () => {
    const text = formatCsv(['a', 'b', 'c', 'd', 'e'], [[-0.5, '-0.5', '+1e-7', true, 'plain, with comma'], [-0, null, undefined, false, 'say "hi"']]);
    expect(text).toBe('a,b,c,d,e\n-0.5,-0.5,+1e-7,true,"plain, with comma"\n0,,,false,"say ""hi"""\n');
    expect(formatCsv(['only'], [])).toBe('only\n');
    expect(() => formatCsv(['x'], [[Number.NaN]])).toThrow(/finite/);
  });

  it('neutralises a hostile task name in the report tables', async () => {
    const dir = makeTempDir('csv-');
    writeSyntheticOutputs(dir, { taskName: '=HYPERLINK("http://evil","x")' });
    await renderReport(dir, () => {}, CORE_SECTIONS);
    const table = readFileSync(join(dir, 'report', 'tables', 'task-fits.csv'), 'utf8');
    expect(table).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(table).not.toMatch(/(^|,)=HYPERLINK/m);
    expect(readFileSync(join(dir, 'tasks.csv'), 'utf8')).toContain(`"'=HYPERLINK(`);
  });
});
