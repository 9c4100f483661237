/**
 * Wilson score interval for a binomial proportion k/n: the uncertainty of a share that comes from
 * having a finite sample of n units (here: tasks). Better behaved than k/n ± z·se near 0 and 1 and
 * for small n. Reference: Wilson (1927), JASA 22:209–212. Cost: O(1).
 * @example wilsonInterval(19, 46) // ≈ [0.2829, 0.5566]
 * @throws when n < 1 or k outside [0, n]
 */
export function wilsonInterval(k: number, n: number, z = 1.959963984540054): [number, number] {
  if (!(n >= 1) || !(k >= 0 && k <= n)) throw new RangeError(`wilsonInterval requires 0 ≤ k ≤ n and n ≥ 1, got ${k}/${n}`);
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
