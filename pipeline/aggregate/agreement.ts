/**
 * Agreement between two labelings of the same tasks: confusion matrix, raw agreement and
 * Cohen's κ (Cohen 1960: κ = (p_o − p_e) / (1 − p_e)). Cost: O(tasks + categories²).
 */
export interface Agreement {
  agree: number;
  total: number;
  kappa: number;
  categories: string[];
  /** matrix[i][j]: tasks with first label categories[i] and second label categories[j]. */
  matrix: number[][];
}

export function agreement(first: readonly string[], second: readonly string[], categories: readonly string[]): Agreement {
  if (first.length !== second.length) throw new Error('agreement requires labelings of equal length');
  const index = new Map(categories.map((c, i) => [c, i]));
  const k = categories.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let t = 0; t < first.length; t++) {
    const i = index.get(first[t]!);
    const j = index.get(second[t]!);
    if (i === undefined || j === undefined) throw new Error(`agreement: unknown category ${first[t]} or ${second[t]}`);
    matrix[i]![j]!++;
  }
  const total = first.length;
  let agree = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    agree += matrix[i]![i]!;
    const rowSum = matrix[i]!.reduce((a, b) => a + b, 0);
    const columnSum = matrix.reduce((a, row) => a + row[i]!, 0);
    expected += (rowSum * columnSum) / (total * total || 1);
  }
  const observed = total > 0 ? agree / total : 0;
  const kappa = expected < 1 ? (observed - expected) / (1 - expected) : observed === 1 ? 1 : 0;
  return { agree, total, kappa, categories: [...categories], matrix };
}
