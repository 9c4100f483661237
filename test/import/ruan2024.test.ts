/** The ruan2024 importer's parsing: ids, unit scaling, fractions, item-count checks, column names. */
import { describe, expect, it } from 'vitest';
import { familyId, fraction, modelId, parseEmergentColumn, scaled, wholeCountShare } from '../../pipeline/import/ruan2024.ts';

describe('ruan2024 parsing', () => {
  it('turns an org/name model into an id and a family into a corpus id', () => {
    expect(modelId('meta-llama/Llama-2-7b-hf')).toBe('meta-llama--Llama-2-7b-hf');
    expect(() => modelId('org/name with space')).toThrow(/does not make a model id/);
    expect(familyId('GPT-Neo/J')).toBe('gpt-neo-j');
    expect(familyId('Qwen1.5')).toBe('qwen1.5');
  });

  it('scales decimals in billions, trillions or 1e21 exactly, and keeps an empty cell empty', () => {
    expect(scaled('0.124', 9)).toBe(124_000_000);
    expect(scaled('6.7', 9)).toBe(6_700_000_000);
    expect(scaled('0.00222', 12)).toBe(2_220_000_000);
    expect(scaled('84.0', 21)).toBe(8.4e22);
    expect(scaled(' ', 9)).toBeNull();
    expect(() => scaled('-1', 9)).toThrow(/not a positive number/);
  });

  it('reads scores as fractions and refuses percentages or text', () => {
    expect(fraction('0.4379', 'x')).toBe(0.4379);
    expect(fraction('', 'x')).toBeNull();
    expect(fraction(undefined, 'x')).toBeNull();
    expect(() => fraction('43.79', 'Llama, MMLU')).toThrow(/Llama, MMLU: "43.79" is not a fraction between 0 and 1/);
    expect(() => fraction('n/a', 'x')).toThrow(/not a fraction/);
  });

  it('measures how many scores are whole counts out of an item count', () => {
    expect(wholeCountShare([938 / 1267, 1 / 1267, 0.714], 1267)).toBeCloseTo(2 / 3, 12);
    expect(wholeCountShare([0.5, 0.25], 4)).toBe(1);
    expect(wholeCountShare([], 10)).toBe(0);
  });

  it('splits emergent column names into task, shots and metric', () => {
    expect(parseEmergentColumn('arithmetic_3ds_2_acc')).toEqual({ task: 'arithmetic_3ds', shots: 2, metric: 'acc' });
    expect(parseEmergentColumn('word_unscrambling_2_exact_match')).toEqual({ task: 'word_unscrambling', shots: 2, metric: 'exact_match' });
    expect(parseEmergentColumn('ipa_transliterate_2_bleu')).toEqual({ task: 'ipa_transliterate', shots: 2, metric: 'bleu' });
    expect(parseEmergentColumn('Model')).toBeUndefined();
  });
});
