import { describe, expect, it } from 'vitest';
import { groupBy } from '../../pipeline/util/group.ts';

describe('groupBy', () => {
  it('keeps groups in order of first appearance and items in their order', () => {
    const groups = groupBy(['b1', 'a1', 'b2', 'c1', 'a2'], (s) => s[0]);
    expect([...groups.keys()]).toEqual(['b', 'a', 'c']);
    expect(groups.get('b')).toEqual(['b1', 'b2']);
    expect(groups.get('a')).toEqual(['a1', 'a2']);
  });

  it('gives an empty map for no items', () => {
    expect(groupBy([], (x: number) => x).size).toBe(0);
  });
});
