/**
 * Parquet tables of source releases, read with hyparquet (a maintained pure-JavaScript reader, so no
 * native build or Python is needed). Rows come back as objects keyed by column name; a pandas index
 * is an ordinary column (e.g. `__index_level_0__`).
 */
import { readFileSync } from 'node:fs';
import { parquetReadObjects } from 'hyparquet';

export async function readParquetRows(path: string): Promise<Record<string, unknown>[]> {
  const bytes = readFileSync(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return (await parquetReadObjects({ file })) as Record<string, unknown>[];
}
