/**
 * `make import`: re-create studies/<id>/ for every source we have an importer for.
 * Usage: tsx pipeline/import/run-importers.ts [--sources DIR] [--out DIR]
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importBhagia2024 } from './bhagia2024.ts';
import { importGadre2024 } from './gadre2024.ts';
import { importLescao2022 } from './lescao2022.ts';
import { importLourie2025 } from './lourie2025.ts';
import { writeStudy, type ImportedStudy } from './study-writer.ts';

export const IMPORTERS: Record<string, (sourceDir: string) => ImportedStudy> = {
  gadre2024: importGadre2024,
  lourie2025: importLourie2025,
  bhagia2024: importBhagia2024,
  lescao2022: importLescao2022,
};

export function runImporters(sourcesDir: string, studiesDir: string, log: (line: string) => void = () => {}): string[] {
  const written: string[] = [];
  for (const [id, importer] of Object.entries(IMPORTERS)) {
    const sourceDir = join(sourcesDir, id);
    if (!existsSync(sourceDir)) throw new Error(`source folder ${sourceDir} not found (set SOURCES=DIR)`);
    log(`import ${id} from ${sourceDir}`);
    written.push(...writeStudy(studiesDir, importer(sourceDir)));
  }
  return written;
}
