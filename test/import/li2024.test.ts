/** The li2024 importer's mappings: corpus ids from dataset names, metadata rows for renamed tasks. */
import { describe, expect, it } from 'vitest';
import { corpusId, metadataRowName } from '../../pipeline/import/li2024.ts';

describe('corpusId', () => {
  it('lower-cases and replaces characters an id may not hold', () => {
    expect(corpusId('RW_v2_OH_fasttext')).toBe('rw_v2_oh_fasttext');
    expect(corpusId('refinedweb_ask_llm_gpt4++_1024')).toBe('refinedweb_ask_llm_gpt4-_1024');
  });

  it('keeps long names distinct and within 80 characters', () => {
    const stem = 'mix_rw_v2_fasttext_openhermes_reddit_eli5_vs_rw_v2_bigram_200k_train_0.1_';
    const a = corpusId(`${stem}arxiv_fasttext_openhermes`);
    const b = corpusId(`${stem}books_fasttext_openhermes`);
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(80);
    expect(a).toMatch(/^[a-z0-9][a-z0-9_.-]{0,79}$/);
    expect(corpusId(`${stem}arxiv_fasttext_openhermes`)).toBe(a);
  });
});

describe('metadataRowName', () => {
  const rows = new Map([['mmlu', {}], ['gsm8k', {}], ['arc_easy', {}]]);

  it('uses the row of the same name, the renamed row, or the row of a chain-of-thought task\'s base', () => {
    expect(metadataRowName('arc_easy', rows)).toBe('arc_easy');
    expect(metadataRowName('mmlu_fewshot', rows)).toBe('mmlu');
    expect(metadataRowName('gsm8k_cot', rows)).toBe('gsm8k');
  });

  it('gives undefined when no row describes the task', () => {
    expect(metadataRowName('gpqa_main', rows)).toBeUndefined();
  });
});
