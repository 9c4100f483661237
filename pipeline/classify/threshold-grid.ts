/**
 * Classifying many tasks at every point of a threshold grid (calibration, the joint sensitivity)
 * without running classify() per task and point. A rule's outcome depends only on its own swept
 * conditions, so for each rule and each combination of those conditions' values the set of tasks
 * for which it holds is computed once, as a bitset; a task's behaviour at a grid point is then the
 * first rule whose set holds it, exactly as classify() decides (tested against it at every point).
 */
import type { Rule } from '../config/analysis-config.ts';
import type { TaskFeatures } from '../fit/features.ts';
import { ruleHolds } from './rules.ts';

/** A swept condition: rule and condition index, and the threshold values it takes on the grid. */
export interface SweptValues {
  rule: number;
  condition: number;
  values: readonly number[];
}

/** Every grid point (the index of each swept condition's value), the first swept condition fastest. */
export function* grid(swept: readonly { values: readonly number[] }[]): Generator<number[]> {
  const index = swept.map(() => 0);
  for (;;) {
    yield index.slice();
    let d = 0;
    while (d < swept.length && ++index[d]! === swept[d]!.values.length) index[d++] = 0;
    if (d === swept.length) return;
  }
}

/** The grid's points and, per rule, each point's combination of that rule's swept values (a mixed-radix number, its last swept condition fastest). */
export interface RuleGrid {
  points: number[][];
  rules: { swept: number[]; combinations: number; at: Int32Array }[];
}

export function ruleGrid(rules: readonly Rule[], swept: readonly SweptValues[]): RuleGrid {
  const points = [...grid(swept)];
  return {
    points,
    rules: rules.map((_, r) => {
      const own = swept.flatMap((s, i) => (s.rule === r ? [i] : []));
      const combinations = own.reduce((product, i) => product * swept[i]!.values.length, 1);
      const at = Int32Array.from(points, (point) => own.reduce((c, i) => c * swept[i]!.values.length + point[i]!, 0));
      return { swept: own, combinations, at };
    }),
  };
}

/** 32-bit words in a bitset of `count` tasks. */
const bitsetWords = (count: number): number => Math.ceil(count / 32);

/**
 * Per rule, the tasks (bit t of word t >> 5) for which it holds: one bitset of bitsetWords(tasks)
 * words per combination of its swept values, combination c at offset c · words.
 */
export function holdingSets(rules: readonly Rule[], swept: readonly SweptValues[], ruleGridOf: RuleGrid, features: readonly TaskFeatures[]): Uint32Array[] {
  const words = bitsetWords(features.length);
  return rules.map((rule, r) => {
    const { swept: own, combinations } = ruleGridOf.rules[r]!;
    const table = new Uint32Array(combinations * words);
    for (let combination = 0; combination < combinations; combination++) {
      const conditions = [...rule.conditions];
      let rest = combination;
      for (let j = own.length - 1; j >= 0; j--) {
        const { condition, values } = swept[own[j]!]!;
        conditions[condition] = { ...conditions[condition]!, threshold: values[rest % values.length]! };
        rest = Math.floor(rest / values.length);
      }
      const at = { ...rule, conditions };
      features.forEach((f, t) => {
        if (ruleHolds(f, at)) table[combination * words + (t >>> 5)]! |= 1 << (t & 31);
      });
    }
    return table;
  });
}

/**
 * Classify the tasks of `holding` at grid point g, as classify() does (each task takes the first rule
 * that holds for it): visit(rule, word, bits) is called with the tasks (set bits of their 32-bit
 * word) that take each rule. Returns a function of g; `remaining` is its scratch space.
 */
export function gridClassifier(ruleGridOf: RuleGrid, holding: readonly Uint32Array[], tasks: number): (g: number, visit: (rule: number, word: number, bits: number) => void) => void {
  const words = bitsetWords(tasks);
  const remaining = new Uint32Array(words);
  return (g, visit) => {
    remaining.fill(0xffffffff);
    for (let r = 0; r < holding.length; r++) {
      const table = holding[r]!;
      const base = ruleGridOf.rules[r]!.at[g]! * words;
      for (let w = 0; w < words; w++) {
        const hit = remaining[w]! & table[base + w]!;
        if (hit === 0) continue;
        remaining[w] = remaining[w]! & ~hit;
        visit(r, w, hit);
      }
    }
    for (let t = 0; t < tasks; t++) {
      if (remaining[t >>> 5]! & (1 << (t & 31))) throw new Error('classify: no rule matched; the last rule must have no conditions');
    }
  };
}

/** Set bits in a 32-bit word. */
export function bitCount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
