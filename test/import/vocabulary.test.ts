import { describe, expect, it } from 'vitest';
import { canonicalIds, readVocabulary } from '../../pipeline/import/vocabulary.ts';

const fixture = {
  validationSets: [{ id: 'fineweb-edu', name: 'FineWeb-Edu', aliases: ['fineweb_edu'] }],
  benchmarks: [
    { id: 'arc_easy', name: 'ARC-Easy', aliases: ['arc:easy', 'ARC-E'] },
    { id: 'logi_qa', name: 'LogiQA', aliases: ['logiqa'] },
  ],
};

describe('canonical ids through vocabulary aliases', () => {
  const ids = canonicalIds(fixture);

  it('maps an id or any alias, ignoring case', () => {
    expect(ids.benchmark('arc_easy', 'r')).toBe('arc_easy');
    expect(ids.benchmark('ARC:Easy', 'r')).toBe('arc_easy');
    expect(ids.benchmark('arc-e', 'r')).toBe('arc_easy');
    expect(ids.benchmark('LogiQA', 'r')).toBe('logi_qa');
    expect(ids.validationSet('FINEWEB_EDU', 'r')).toBe('fineweb-edu');
  });

  it('names the release and the fix when a name is unknown', () => {
    expect(() => ids.benchmark('arc:hard', 'release9')).toThrow(/^release9: benchmark "arc:hard" is not in studies\/vocabulary\.json; add it/);
    expect(() => ids.validationSet('arc_easy', 'r')).toThrow(/validation set "arc_easy"/);
  });

  it('reads the committed vocabulary, whose every alias resolves to its own entry', () => {
    const vocabulary = readVocabulary();
    const committed = canonicalIds(vocabulary);
    for (const entry of vocabulary.benchmarks) for (const alias of entry.aliases ?? []) expect(committed.benchmark(alias, 'test')).toBe(entry.id);
  });
});
