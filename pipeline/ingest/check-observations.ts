/**
 * Checks an observations CSV against the metadata that declares its columns, and turns it into rows.
 * Every problem is reported with the line and column of the offending cell, and every problem is
 * reported at once: a wrong header still lets the cells of the declared columns be checked.
 */
import type { CsvCell, CsvTable } from './parse-csv.ts';
import { clip, quote } from '../util/shown-text.ts';
import type { Problem } from './problems.ts';
import type { LossUnit, ObservationColumns, ObservationsMetadata } from './types.ts';

/**
 * Plausible values per declared unit. A uniform guess over a 1M-token vocabulary is ~13.8 nats per
 * token; over bytes it is 8 bits per byte; a perplexity is at least 1.
 */
const MAX_NATS = 20;
const LOSS_RANGES: Record<LossUnit, { min: number; inclusiveMin: boolean; max: number; expected: string }> = {
  'nats per token': { min: 0, inclusiveMin: false, max: MAX_NATS, expected: `must be a cross-entropy in nats per token, greater than 0 and at most ${MAX_NATS}` },
  'bits per byte': { min: 0, inclusiveMin: false, max: 16, expected: 'must be in bits per byte (the unit study.json declares), greater than 0 and at most 16' },
  perplexity: { min: 1, inclusiveMin: true, max: Math.exp(MAX_NATS), expected: `must be a perplexity (the unit study.json declares), at least 1 and at most e^${MAX_NATS}` },
};

/** Loss and task cells may be empty: that model or checkpoint was not evaluated (not the same as 0). */
/**
 * The largest plausible value of each kind of scale variable, far above any model trained so far
 * (10^15 parameters, 10^17 tokens, 10^30 FLOPs). A value above it is a unit mistake, and it would put
 * a derived x (ln(reference / quantity)) outside what the fit can take (exp() overflows).
 */
export const SCALE_LIMITS: Record<'parameters' | 'tokens' | 'flops', number> = { parameters: 1e15, tokens: 1e17, flops: 1e30 };

const NOT_EVALUATED_HINT = 'or leave the cell empty if it was not evaluated';

function isNotEvaluated(cell: CsvCell): boolean {
  return cell.text === '';
}

export const IDENTITY_COLUMNS = { model: ['model', 'corpus'], checkpoint: ['model', 'corpus', 'run', 'step', 'final'] } as const;

/** The CSV header a study.json declares, in the conventional order. */
export function expectedColumns(declared: { level: ObservationsMetadata['level']; scaleVariables: readonly { id: string }[]; validationSets: readonly { id: string }[]; tasks: readonly { id: string }[] }): string[] {
  return [
    ...IDENTITY_COLUMNS[declared.level],
    ...declared.scaleVariables.map((v) => v.id),
    ...declared.validationSets.map((v) => `loss:${v.id}`),
    ...declared.tasks.map((t) => `task:${t.id}`),
  ];
}

/** What checking a whole observations file yields. */
export interface ObservationsSummary {
  /** The rows that passed every check (none when the checker was asked not to keep them). */
  columns: ObservationColumns;
  /** Data rows in the file (after the header), checked or not. */
  rowCount: number;
  /** Non-empty task cells that were read as numbers. */
  taskValues: number;
}

/** Checks one row at a time, so a file of any size is checked without holding it. */
export interface ObservationsChecker {
  row(cells: CsvCell[]): void;
  finish(): ObservationsSummary;
}

/**
 * Start checking an observations file whose header is `header`; every problem goes to `report` as it
 * is found. `keepRows` false keeps no rows (make validate only needs the counts).
 */
export function startObservationsCheck(header: CsvCell[], declared: ObservationsMetadata, file: string, report: (problem: Problem) => void, keepRows = true): ObservationsChecker {
  let found = 0;
  const at = (cell: CsvCell, message: string): void => {
    found++;
    report({ file, line: cell.line, column: cell.column, message });
  };

  const expected = expectedColumns(declared);
  const declaredAt = new Map<string, string>([
    ...IDENTITY_COLUMNS[declared.level].map((name): [string, string] => [name, `an identity column of level "${declared.level}"`]),
    ...declared.scaleVariables.map((v, i): [string, string] => [v.id, `/observations/scaleVariables/${i}`]),
    ...declared.validationSets.map((v, i): [string, string] => [`loss:${v.id}`, `/observations/validationSets/${i}`]),
    ...declared.tasks.map((t, i): [string, string] => [`task:${t.id}`, `/observations/tasks/${i}`]),
  ]);
  const columnIndex = new Map<string, number>();
  header.forEach((cell, index) => {
    const name = cell.text.trim();
    const first = columnIndex.get(name);
    if (first !== undefined) at(cell, `duplicate column ${quote(name)} (also column ${first + 1} of the header); expected each column once`);
    else if (!declaredAt.has(name)) at(cell, `undeclared column ${quote(cell.text)}: ${howToDeclare(name, declared.level)}`);
    else {
      if (name !== cell.text) at(cell, `column name ${quote(cell.text)} has spaces around it; expected "${name}"`);
      columnIndex.set(name, index);
    }
  });
  const last = header[header.length - 1]!;
  const headerEnd = { line: last.line, column: last.column + last.text.length };
  for (const name of expected) {
    if (!columnIndex.has(name)) {
      report({ file, ...headerEnd, message: `missing column "${name}": expected in the header because study.json declares it (${declaredAt.get(name)})` });
    }
  }

  const corpora = new Set(declared.corpora.map((c) => c.id));
  const seenModels = new Map<string, number>();
  const finals = new Map<string, { count: number; first: CsvCell }>();
  const runs = new Map<string, CsvCell>();
  const isCheckpoint = declared.level === 'checkpoint';
  const columns: ObservationColumns = {
    length: 0,
    model: [],
    corpus: [],
    ...(isCheckpoint ? { run: [], step: [], final: [] } : {}),
    scale: new Map(declared.scaleVariables.map((v) => [v.id, []])),
    losses: new Map(declared.validationSets.map((set) => [set.id, []])),
    accuracies: new Map(declared.tasks.map((task) => [task.id, []])),
  };
  // One row's values before it is known to pass every check (then appended to the columns).
  const scaleValues = new Float64Array(declared.scaleVariables.length);
  const lossValues = new Float64Array(declared.validationSets.length);
  const accuracyValues = new Float64Array(declared.tasks.length);
  const scaleColumns = declared.scaleVariables.map((v) => columns.scale.get(v.id)!);
  const lossColumns = declared.validationSets.map((set) => columns.losses.get(set.id)!);
  const accuracyColumns = declared.tasks.map((task) => columns.accuracies.get(task.id)!);
  // Runs and corpora repeat: one string each, not one per row (a cell's text may also hold on to
  // the whole chunk of the file it was cut from).
  const internedRuns = new Map<string, string>();
  const internedCorpora = new Map(declared.corpora.map((c) => [c.id, c.id]));
  let rowCount = 0;
  let taskValues = 0;

  const checkRow = (cells: CsvCell[]): void => {
    rowCount++;
    if (cells.length !== header.length) {
      const extra = cells[header.length];
      const end = cells[cells.length - 1]!;
      const where = extra ?? { ...end, column: end.column + end.text.length };
      at(where, `expected ${header.length} cells (one per header column), found ${cells.length}; the row is not checked further`);
      return;
    }
    const cell = (name: string): CsvCell | undefined => {
      const index = columnIndex.get(name);
      return index === undefined ? undefined : cells[index];
    };
    const before = found;

    const model = cell('model');
    if (model) {
      if (!/^[A-Za-z0-9][A-Za-z0-9_.=+@-]*$/.test(model.text)) {
        at(model, `model must be an id of letters, digits and _ . = + @ - (starting with a letter or digit), found ${quote(model.text)}`);
      }
      const firstLine = seenModels.get(model.text);
      if (firstLine !== undefined) at(model, `duplicate model id ${quote(model.text)} (first on line ${firstLine}); expected one row per ${declared.level}`);
      else seenModels.set(model.text, model.line);
    }

    const corpus = cell('corpus');
    if (corpus && !corpora.has(corpus.text)) at(corpus, `corpus must be one of the declared corpora (${[...corpora].join(', ')}), found ${quote(corpus.text)}`);

    let runText = '';
    let stepValue = 0;
    let isFinal = false;
    if (isCheckpoint) {
      const run = cell('run');
      if (run) {
        if (run.text.trim() === '') at(run, 'run must name the training run, found an empty cell');
        else if (!runs.has(run.text)) runs.set(run.text, run);
        runText = run.text;
      }
      const stepCell = cell('step');
      if (stepCell) {
        const step = readNumber(stepCell, 'step', at);
        if (step !== undefined && (!Number.isInteger(step) || step < 0)) at(stepCell, `step must be a non-negative whole number, found ${clip(stepCell.text)}`);
        stepValue = step ?? 0;
      }
      const final = cell('final');
      if (final) {
        if (final.text !== 'true' && final.text !== 'false') at(final, `final must be true or false, found ${quote(final.text)}`);
        isFinal = final.text === 'true';
        if (isFinal && run) {
          const entry = finals.get(run.text);
          if (entry) {
            entry.count++;
            at(final, `run ${quote(run.text)} already has a final checkpoint (line ${entry.first.line}); expected exactly one final row per run`);
          } else finals.set(run.text, { count: 1, first: final });
        }
      }
    }
    scaleValues.fill(Number.NaN);
    lossValues.fill(Number.NaN);
    accuracyValues.fill(Number.NaN);
    declared.scaleVariables.forEach((variable, v) => {
      const c = cell(variable.id);
      if (!c || c.text.trim() === '') return;
      const value = readNumber(c, variable.id, at);
      if (value !== undefined && value <= 0) at(c, `${variable.id} must be a positive number (or empty when unknown), found ${clip(c.text)}`);
      const limit = variable.kind === 'step' ? undefined : SCALE_LIMITS[variable.kind] / (variable.unit === 'gigaflops' ? 1e9 : 1);
      if (value !== undefined && limit !== undefined && value > limit) {
        at(c, `${variable.id} must be at most ${limit.toExponential()} ${variable.unit} (no model has more ${variable.kind}; check the unit), found ${clip(c.text)}`);
      }
      scaleValues[v] = value ?? Number.NaN;
    });
    for (const [s, set] of declared.validationSets.entries()) {
      const c = cell(`loss:${set.id}`);
      if (!c || isNotEvaluated(c)) continue;
      const value = readNumber(c, `loss:${set.id}`, at, NOT_EVALUATED_HINT);
      if (value === undefined) continue;
      const range = LOSS_RANGES[set.unit ?? 'nats per token'];
      if (!(value > range.min || (range.inclusiveMin && value === range.min)) || value > range.max) at(c, `loss:${set.id} ${range.expected}; found ${clip(c.text)}`);
      lossValues[s] = value;
    }
    for (const [t, task] of declared.tasks.entries()) {
      const c = cell(`task:${task.id}`);
      if (!c || isNotEvaluated(c)) continue;
      const value = readNumber(c, `task:${task.id}`, at, NOT_EVALUATED_HINT);
      if (value === undefined) continue;
      taskValues++;
      if (value < 0 || value > 1) {
        // 87 is a percentage; 1.7 with a chance of 0.25 is not a plausible one (1.7% is far below chance).
        const percentage = value > 1 && value <= 100 && value / 100 >= (task.chance ?? 0);
        const hint = percentage ? ` (looks like a percentage: write ${round(value / 100)})` : '';
        at(c, `task:${task.id} must be ${task.metric === 'accuracy' ? 'an accuracy' : `a ${task.metric} score`} as a fraction between 0 and 1, found ${clip(c.text)}${hint}`);
      }
      accuracyValues[t] = value;
    }
    if (keepRows && found === before) {
      columns.model.push(ownString(model?.text ?? ''));
      columns.corpus.push(internedCorpora.get(corpus?.text ?? '') ?? '');
      if (isCheckpoint) {
        let run = internedRuns.get(runText);
        if (run === undefined) internedRuns.set(runText, (run = ownString(runText)));
        columns.run!.push(run);
        columns.step!.push(stepValue);
        columns.final!.push(isFinal);
      }
      for (let v = 0; v < scaleColumns.length; v++) scaleColumns[v]!.push(scaleValues[v]!);
      for (let s = 0; s < lossColumns.length; s++) lossColumns[s]!.push(lossValues[s]!);
      for (let t = 0; t < accuracyColumns.length; t++) accuracyColumns[t]!.push(accuracyValues[t]!);
      columns.length++;
    }
  };

  return {
    row: checkRow,
    finish() {
      if (declared.level === 'checkpoint' && columnIndex.has('final')) {
        for (const [run, first] of runs) {
          if (!finals.has(run)) at(first, `run ${quote(run)} has no final checkpoint: expected final = true on the row of its last checkpoint`);
        }
      }
      const countable = declared.level === 'model' || (columnIndex.has('run') && columnIndex.has('final'));
      const fitted = declared.level === 'checkpoint' ? finals.size : rowCount;
      if (countable && fitted < 3) {
        const what = declared.level === 'checkpoint' ? 'runs with a final checkpoint (final = true)' : 'models (one row each)';
        report({ file, message: `expected at least 3 ${what} to fit a curve, found ${fitted}` });
      }
      return { columns, rowCount, taskValues };
    },
  };
}

/** Check a whole table held in memory (tests and small inputs; ingest streams rows to the checker). */
export function checkObservations(table: CsvTable, declared: ObservationsMetadata, file: string): { columns: ObservationColumns; problems: Problem[] } {
  const problems: Problem[] = [];
  const checker = startObservationsCheck(table.header, declared, file, (problem) => void problems.push(problem));
  for (const cells of table.rows) checker.row(cells);
  return { columns: checker.finish().columns, problems };
}

/**
 * `text` as a string of its own. A cell's text is cut from the chunk of the file it was read in, and
 * V8 may keep a cut of 13 or more characters as a view that holds the whole chunk alive; kept ids
 * must not hold megabytes of the file each.
 */
function ownString(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

function readNumber(cell: CsvCell, column: string, at: (cell: CsvCell, message: string) => void, emptyHint?: string): number | undefined {
  const text = cell.text.trim();
  if (text === '') {
    at(cell, `${column} must be a number, found an empty cell`);
    return undefined;
  }
  const orEmpty = emptyHint ? ` (${emptyHint})` : '';
  if (/^[+-]?(nan|inf|infinity)$/i.test(text)) {
    at(cell, `${column} must be a finite number, found ${clip(cell.text)}${orEmpty || " (if the source has no value, leave the model's row out and say why in observations.notes)"}`);
    return undefined;
  }
  const value = Number(text);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) || !Number.isFinite(value)) {
    at(cell, `${column} must be a number${orEmpty}, found ${quote(cell.text)}`);
    return undefined;
  }
  return value;
}

function howToDeclare(column: string, level: ObservationsMetadata['level']): string {
  if (column.startsWith('task:')) return `expected a task with id ${quote(column.slice(5))} in study.json observations.tasks; declare it there or remove the column`;
  if (column.startsWith('loss:')) return `expected a validation set with id ${quote(column.slice(5))} in study.json observations.validationSets; declare it there or remove the column`;
  if (level === 'model' && ['run', 'step', 'final'].includes(column)) return 'run, step and final are columns of level "checkpoint"; set observations.level to "checkpoint" or remove the column';
  return `expected one of model, corpus${level === 'checkpoint' ? ', run, step, final' : ''}, a scale variable id from observations.scaleVariables, loss:<validation set id> or task:<task id>; declare it in study.json or remove the column`;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
