/**
 * Items grouped by key: groups in order of their key's first appearance, items in their order.
 * Pushes into each group's array (building a new array per item, as a spread does, is quadratic:
 * seconds for a study with thousands of points per task).
 */
export function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
