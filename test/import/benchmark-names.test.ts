/** Source task names reach canonical benchmark ids only through the vocabulary's ids and aliases. */
import { describe, expect, it } from 'vitest';
import { benchmarkLookup, readVocabulary } from '../../pipeline/import/benchmark-names.ts';
import type { Vocabulary } from '../../pipeline/ingest/types.ts';

const vocabulary: Vocabulary = {
  validationSets: [],
  benchmarks: [
    { id: 'hellaswag', name: 'HellaSwag', aliases: ['hellaswag_zeroshot'] },
    { id: 'arc_challenge', name: 'ARC-Challenge', aliases: ['ARC-C'] },
    { id: 'winograd', name: 'Winograd' },
  ],
};

describe('benchmarkLookup', () => {
  const benchmarkOf = benchmarkLookup(vocabulary, 'toy');

  it('maps an id to itself and an alias to its entry, ignoring case', () => {
    expect(benchmarkOf('hellaswag')).toBe('hellaswag');
    expect(benchmarkOf('HellaSwag')).toBe('hellaswag');
    expect(benchmarkOf('hellaswag_zeroshot')).toBe('hellaswag');
    expect(benchmarkOf('arc-c')).toBe('arc_challenge');
  });

  it('refuses a name the vocabulary does not know, naming the importer and the name', () => {
    expect(() => benchmarkOf('winogrande')).toThrow(/^toy: task "winogrande" is neither a benchmark id nor an alias/);
  });

  it('every alias of the committed vocabulary resolves to the entry that lists it', () => {
    const committed = readVocabulary();
    const lookup = benchmarkLookup(committed, 'registry');
    for (const entry of committed.benchmarks) {
      for (const alias of entry.aliases ?? []) expect(lookup(alias), alias).toBe(entry.id);
    }
  });
});
