/**
 * Checks an observations CSV against the metadata that declares its columns, and turns it into rows.
 * Every problem is reported with the line and column of the offending cell.
 */
import type { CsvCell, CsvTable } from './parse-csv.ts';
import type { Problem } from './problems.ts';
import type { ObservationRow, ObservationsMetadata } from './types.ts';

/** Largest plausible cross-entropy in nats per token (a uniform guess over a 1M-token vocabulary is ~13.8). */
const MAX_LOSS = 20;

export function checkObservations(table: CsvTable, declared: ObservationsMetadata, file: string): { rows: ObservationRow[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = (cell: CsvCell, message: string): void => void problems.push({ file, line: cell.line, column: cell.column, message });

  const identity = declared.level === 'checkpoint' ? ['model', 'corpus', 'run', 'step', 'final'] : ['model', 'corpus'];
  const expected = [
    ...identity,
    ...declared.scaleVariables.map((v) => v.id),
    ...declared.validationSets.map((v) => `loss:${v.id}`),
    ...declared.tasks.map((t) => `task:${t.id}`),
  ];
  const expectedSet = new Set(expected);
  const columnIndex = new Map<string, number>();
  table.header.forEach((cell, index) => {
    if (columnIndex.has(cell.text)) at(cell, `duplicate column "${cell.text}"`);
    else if (!expectedSet.has(cell.text)) at(cell, `undeclared column "${cell.text}": declare it in study.json (${describeConvention()}) or remove it`);
    else columnIndex.set(cell.text, index);
  });
  const headerEnd = table.header[table.header.length - 1] ?? { text: '', line: 1, column: 1 };
  for (const name of expected) {
    if (!columnIndex.has(name)) problems.push({ file, line: headerEnd.line, column: 1, message: `declared column "${name}" is missing from the header` });
  }
  if (problems.length > 0) return { rows: [], problems };

  const corpora = new Set(declared.corpora.map((c) => c.id));
  const seenModels = new Map<string, number>();
  const rows: ObservationRow[] = [];
  for (const cells of table.rows) {
    const first = cells[0]!;
    if (cells.length !== table.header.length) {
      at(first, `row has ${cells.length} cells but the header has ${table.header.length} columns`);
      continue;
    }
    const cell = (name: string): CsvCell => cells[columnIndex.get(name)!]!;
    const before = problems.length;

    const model = cell('model');
    if (!/^[A-Za-z0-9][A-Za-z0-9_.=+@-]*$/.test(model.text)) at(model, `model id must be letters, digits and _ . = + @ -, found ${JSON.stringify(model.text)}`);
    const firstLine = seenModels.get(model.text);
    if (firstLine !== undefined) at(model, `duplicate model id "${model.text}" (first on line ${firstLine})`);
    else seenModels.set(model.text, model.line);

    const corpus = cell('corpus');
    if (!corpora.has(corpus.text)) at(corpus, `corpus must be one of the declared corpora (${[...corpora].join(', ')}), found ${JSON.stringify(corpus.text)}`);

    const row: ObservationRow = { model: model.text, corpus: corpus.text, scale: new Map(), losses: new Map(), accuracies: new Map() };
    if (declared.level === 'checkpoint') {
      const run = cell('run');
      if (run.text === '') at(run, 'run must not be empty');
      row.run = run.text;
      const step = readNumber(cell('step'), 'step', at);
      if (step !== undefined && (!Number.isInteger(step) || step < 0)) at(cell('step'), `step must be a non-negative integer, found ${cell('step').text}`);
      row.step = step ?? 0;
      const final = cell('final');
      if (final.text !== 'true' && final.text !== 'false') at(final, `final must be true or false, found ${JSON.stringify(final.text)}`);
      row.final = final.text === 'true';
    }
    for (const variable of declared.scaleVariables) {
      const c = cell(variable.id);
      if (c.text === '') {
        row.scale.set(variable.id, null);
        continue;
      }
      const value = readNumber(c, variable.id, at);
      if (value !== undefined && value <= 0) at(c, `${variable.id} must be positive, found ${c.text}`);
      row.scale.set(variable.id, value ?? null);
    }
    for (const set of declared.validationSets) {
      const c = cell(`loss:${set.id}`);
      const value = readNumber(c, `loss:${set.id}`, at);
      if (value === undefined) continue;
      if (value <= 0 || value > MAX_LOSS) at(c, `loss:${set.id} must be a cross-entropy in nats between 0 and ${MAX_LOSS}, found ${c.text}`);
      row.losses.set(set.id, value);
    }
    for (const task of declared.tasks) {
      const c = cell(`task:${task.id}`);
      const value = readNumber(c, `task:${task.id}`, at);
      if (value === undefined) continue;
      if (value > 1 && value <= 100) at(c, `task:${task.id} must be an accuracy fraction in [0, 1], found ${c.text} (looks like a percentage: divide by 100)`);
      else if (value < 0 || value > 1) at(c, `task:${task.id} must be an accuracy fraction in [0, 1], found ${c.text}`);
      row.accuracies.set(task.id, value);
    }
    if (problems.length === before) rows.push(row);
  }

  const models = declared.level === 'checkpoint' ? rows.filter((row) => row.final).length : rows.length;
  if (problems.length === 0 && models < 3) {
    problems.push({ file, message: `a study needs at least 3 ${declared.level === 'checkpoint' ? 'final checkpoints' : 'models'} to fit a curve, found ${models}` });
  }
  return { rows, problems };
}

function readNumber(cell: CsvCell, column: string, at: (cell: CsvCell, message: string) => void): number | undefined {
  const text = cell.text.trim();
  if (text === '') {
    at(cell, `${column} is empty; a value is required`);
    return undefined;
  }
  if (/^[+-]?(nan|inf|infinity)$/i.test(text)) {
    at(cell, `${column} must be a finite number, found ${cell.text}`);
    return undefined;
  }
  const value = Number(text);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) || !Number.isFinite(value)) {
    at(cell, `${column} must be a number, found ${JSON.stringify(cell.text)}`);
    return undefined;
  }
  return value;
}

function describeConvention(): string {
  return 'identity columns model, corpus (and run, step, final for checkpoints), scale variables by id, loss:<validation set id>, task:<task id>';
}
