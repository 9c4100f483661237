/**
 * `make import`: re-create studies/<id>/ for every source we have an importer for.
 * Usage: tsx pipeline/import/run-importers.ts [--sources DIR] [--out DIR]
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importBhagia2024 } from './bhagia2024.ts';
import { importBiderman2023 } from './biderman2023.ts';
import { importBiderman2023V0 } from './biderman2023-v0.ts';
import { importGadre2024 } from './gadre2024.ts';
import { importLescao2022 } from './lescao2022.ts';
import { importLi2024 } from './li2024.ts';
import { importLourie2025 } from './lourie2025.ts';
import { importMcleish2025 } from './mcleish2025.ts';
import { importMichaelov2023 } from './michaelov2023.ts';
import { importRuan2024 } from './ruan2024.ts';
import { writeStudy, type ImportedStudy } from './study-writer.ts';

/** Reads one source folder and returns the study folder to write (async where a reader is, e.g. parquet). */
export type Importer = (sourceDir: string) => ImportedStudy | Promise<ImportedStudy>;

export const IMPORTERS: Record<string, Importer> = {
  gadre2024: importGadre2024,
  lourie2025: importLourie2025,
  bhagia2024: importBhagia2024,
  lescao2022: importLescao2022,
  mcleish2025: importMcleish2025,
  michaelov2023: importMichaelov2023,
  biderman2023: importBiderman2023,
  'biderman2023-v0': importBiderman2023V0,
  li2024: importLi2024,
  ruan2024: importRuan2024,
};

/** Studies imported from a source folder of another name (one release, several studies). */
export const SOURCE_FOLDER: Record<string, string> = { 'biderman2023-v0': 'biderman2023' };

export async function runImporters(sourcesDir: string, studiesDir: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const written: string[] = [];
  for (const [id, importer] of Object.entries(IMPORTERS)) {
    const sourceDir = join(sourcesDir, SOURCE_FOLDER[id] ?? id);
    if (!existsSync(sourceDir)) throw new Error(`source folder ${sourceDir} not found (set SOURCES=DIR)`);
    log(`import ${id} from ${sourceDir}`);
    written.push(...writeStudy(studiesDir, await importer(sourceDir)));
  }
  return written;
}
