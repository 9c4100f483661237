/**
 * RFC 4180 CSV parsing that keeps the line and column where every cell starts, so that each
 * problem in a contributed table can be reported as `file:line:column`.
 */
export interface CsvCell {
  text: string;
  line: number;
  column: number;
}

export interface CsvTable {
  header: CsvCell[];
  rows: CsvCell[][];
}

export type CsvResult = { ok: true; table: CsvTable } | { ok: false; line: number; column: number; message: string };

export function parseCsvWithPositions(text: string): CsvResult {
  const records: CsvCell[][] = [];
  let record: CsvCell[] = [];
  let line = 1;
  let column = 1;
  let i = 0;
  const n = text.length;
  let atRecordStart = true;
  while (i < n) {
    const cellLine = line;
    const cellColumn = column;
    let value = '';
    if (text[i] === '"') {
      i++;
      column++;
      for (;;) {
        if (i >= n) return { ok: false, line: cellLine, column: cellColumn, message: `unterminated quoted cell: expected a closing '"' for the quote here, found end of file` };
        const ch = text[i]!;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            column += 2;
            continue;
          }
          i++;
          column++;
          break;
        }
        value += ch;
        i++;
        if (ch === '\n') {
          line++;
          column = 1;
        } else column++;
      }
      if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
        return { ok: false, line, column, message: `expected ',' or the end of the line after a closing quote, found '${text[i]}' (write a quote inside a quoted cell as "")` };
      }
    } else {
      while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
        value += text[i];
        i++;
        column++;
      }
    }
    record.push({ text: value, line: cellLine, column: cellColumn });
    atRecordStart = false;
    if (i < n && text[i] === ',') {
      i++;
      column++;
      if (i >= n) record.push({ text: '', line, column });
      continue;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    records.push(record);
    record = [];
    atRecordStart = true;
    line++;
    column = 1;
  }
  if (!atRecordStart) records.push(record);
  // Blank lines carry no data; skip them rather than report them as ragged rows.
  const nonBlank = records.filter((cells) => !(cells.length === 1 && cells[0]!.text === ''));
  const [header, ...rows] = nonBlank;
  if (!header) return { ok: false, line: 1, column: 1, message: 'expected a header row, found only blank lines' };
  return { ok: true, table: { header, rows } };
}
