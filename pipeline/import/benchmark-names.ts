/**
 * Source task names → canonical benchmark ids, through studies/vocabulary.json (its ids and aliases).
 * The table is data: an importer never hard-codes that "hellaswag_zeroshot" is HellaSwag, it asks here,
 * so every study that names HellaSwag differently lands on the same benchmark id.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Vocabulary } from '../ingest/types.ts';
import { STUDIES_DIR } from '../util/paths.ts';

export type BenchmarkOf = (sourceName: string) => string;

/** The committed vocabulary (importers read it from the repository, never from the raw sources). */
export function readVocabulary(studiesDir = STUDIES_DIR): Vocabulary {
  return JSON.parse(readFileSync(join(studiesDir, 'vocabulary.json'), 'utf8')) as Vocabulary;
}

/**
 * A lookup from a name in a source release to a benchmark id: the id itself or one of its aliases,
 * compared case-insensitively. An unknown name is an error naming the importer and the name, so a new
 * release never lands with a benchmark nobody recognised.
 */
export function benchmarkLookup(vocabulary: Vocabulary, importer: string): BenchmarkOf {
  const byName = new Map<string, string>();
  for (const entry of vocabulary.benchmarks) {
    for (const name of [entry.id, ...(entry.aliases ?? [])]) byName.set(name.toLowerCase(), entry.id);
  }
  return (sourceName) => {
    const id = byName.get(sourceName.toLowerCase());
    if (id === undefined) {
      throw new Error(`${importer}: task "${sourceName}" is neither a benchmark id nor an alias in studies/vocabulary.json; add it there (as an alias of an existing benchmark or a new entry)`);
    }
    return id;
  };
}
