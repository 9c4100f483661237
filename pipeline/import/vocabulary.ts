/**
 * Names in source releases → canonical ids of studies/vocabulary.json, through each entry's id and
 * aliases (compared case-insensitively). The alias table is data; importers never hard-code it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Vocabulary } from '../ingest/types.ts';
import { STUDIES_DIR } from '../util/paths.ts';

export function readVocabulary(studiesDir: string = STUDIES_DIR): Vocabulary {
  return JSON.parse(readFileSync(join(studiesDir, 'vocabulary.json'), 'utf8')) as Vocabulary;
}

export interface CanonicalIds {
  /** Canonical benchmark id for a name a release uses; throws naming the release when unknown. */
  benchmark(name: string, release: string): string;
  /** Canonical validation-set id for a name a release uses; throws naming the release when unknown. */
  validationSet(name: string, release: string): string;
}

export function canonicalIds(vocabulary: Vocabulary = readVocabulary()): CanonicalIds {
  const lookup = (entries: Vocabulary['benchmarks'], what: string) => {
    const byName = new Map<string, string>();
    for (const entry of entries) for (const name of [entry.id, ...(entry.aliases ?? [])]) byName.set(name.toLowerCase(), entry.id);
    return (name: string, release: string): string => {
      const id = byName.get(name.toLowerCase());
      if (id === undefined) throw new Error(`${release}: ${what} ${JSON.stringify(name)} is not in studies/vocabulary.json; add it as an id or as an alias of one`);
      return id;
    };
  };
  return { benchmark: lookup(vocabulary.benchmarks, 'benchmark'), validationSet: lookup(vocabulary.validationSets, 'validation set') };
}
