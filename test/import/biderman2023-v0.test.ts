/** The Pythia importers' parsing and derivations, on small inputs written here. */
import { describe, expect, it } from 'vitest';
import { v0Tokens, wikitextBitsPerByte } from '../../pipeline/import/biderman2023-v0.ts';
import { familyTask, neoxParameters, singleTask, v0Step, type PythiaCheckpoint } from '../../pipeline/import/pythia.ts';

const se = (p: number, n: number): number => Math.sqrt((p * (1 - p)) / (n - 1));

function checkpoint(step: number, results: PythiaCheckpoint['results']): PythiaCheckpoint {
  return { run: 'pythia-70m', size: '70m', deduped: false, step, results, modelArgs: {}, file: `70m_step${step}.json` };
}

describe('Pythia steps and tokens', () => {
  it('reads the step from v0 file names', () => {
    expect(v0Step('pythia-70m-0shot-global_step123000_eval_results_11-25-2022-05-54-21.json')).toBe(123000);
    expect(v0Step('70m_step0.json')).toBeUndefined();
  });

  it('turns steps into tokens: the same 300B-token budget over train_iters steps', () => {
    expect(v0Tokens(143_000, 143_000)).toBe(299_892_736_000);
    expect(v0Tokens(71_500, 71_500)).toBe(299_892_736_000);
    expect(v0Tokens(1500, 71_500)).toBe(1500 * 4_194_304);
  });

  it('counts GPT-NeoX parameters with untied embeddings (the published 70M and 12B totals)', () => {
    expect(neoxParameters({ hidden_size: 512, num_layers: 6, padded_vocab_size: 50304 })).toBe(70_426_624);
    expect(neoxParameters({ hidden_size: 5120, num_layers: 36, padded_vocab_size: 50688 })).toBe(11_846_072_320);
  });
});

describe('WikiText bits per byte', () => {
  it('takes bits_per_byte when it is log2 of the byte perplexity, and nothing when wikitext is absent', () => {
    const results = { wikitext: { bits_per_byte: Math.log2(1.7), byte_perplexity: 1.7, word_perplexity: 30 } };
    expect(wikitextBitsPerByte({ results, file: 'f' })).toBeCloseTo(0.7655347, 6);
    expect(wikitextBitsPerByte({ results: {}, file: 'f' })).toBeNull();
  });

  it('refuses a value in nats per byte, naming the file', () => {
    const results = { wikitext: { bits_per_byte: Math.log(1.7), byte_perplexity: 1.7 } };
    expect(() => wikitextBitsPerByte({ results, file: 'x.json' })).toThrow(/x\.json: wikitext bits_per_byte is not log2\(byte_perplexity\)/);
  });
});

describe('Pythia tasks', () => {
  const a = { acc: 0.5, acc_stderr: se(0.5, 100), acc_norm: 0.6, acc_norm_stderr: se(0.6, 100) };
  const b = { acc: 0.2, acc_stderr: se(0.2, 300), acc_norm: 0.3, acc_norm_stderr: se(0.3, 300) };

  it('scores a family as the item-weighted mean of its subtasks, with items recovered from standard errors', () => {
    const task = familyTask('hendrycksTest', [checkpoint(1, { 'hendrycksTest-a': a, 'hendrycksTest-b': b, piqa: a })], 'test');
    expect(task.metric).toBe('acc_norm');
    expect([...task.subtasks!]).toEqual([['hendrycksTest-a', 100], ['hendrycksTest-b', 300]]);
    expect(task.items).toBe(400);
    expect(task.score({ 'hendrycksTest-a': a, 'hendrycksTest-b': b })).toBeCloseTo((0.6 * 100 + 0.3 * 300) / 400, 12);
    expect(task.score({ 'hendrycksTest-a': a })).toBeNull();
  });

  it('takes acc where a task has no acc_norm, and leaves items out when no cell tells them', () => {
    const task = singleTask('lambada_openai', [checkpoint(1, { lambada_openai: { acc: 0, acc_stderr: 0, ppl: 9e5 } })], 'test');
    expect(task.metric).toBe('acc');
    expect(task.items).toBeUndefined();
    expect(task.score({ lambada_openai: { acc: 0.31 } })).toBe(0.31);
    expect(task.score({})).toBeNull();
  });
});
