import { describe, expect, it } from 'vitest';
import { computeCostMicros, getModelPrice } from './pricing';

describe('getModelPrice', () => {
  it('prices a listed model and its dated snapshots by the longest matching name', () => {
    expect(getModelPrice('openai', 'gpt-4o')).toEqual({
      inputMicrosPer1k: 2500,
      outputMicrosPer1k: 10_000,
      known: true,
    });
    expect(getModelPrice('openai', 'gpt-4o-mini-2024-07-18')).toMatchObject({
      inputMicrosPer1k: 150,
      known: true,
    });
    expect(getModelPrice('anthropic', 'claude-opus-4-5-20251101')).toMatchObject({
      inputMicrosPer1k: 5000,
    });
    expect(getModelPrice('anthropic', 'claude-opus-4-20250514')).toMatchObject({
      inputMicrosPer1k: 15_000,
    });
  });

  it('counts an unknown model as free but flags it', () => {
    expect(getModelPrice('openai-compatible', 'llama3.1:8b')).toEqual({
      inputMicrosPer1k: 0,
      outputMicrosPer1k: 0,
      known: false,
    });
    // A name that only shares a prefix with a listed model is not that model.
    expect(getModelPrice('openai', 'gpt-4omega').known).toBe(false);
  });

  it('treats the scripted model as free and known', () => {
    expect(getModelPrice('scripted', 'scripted')).toEqual({
      inputMicrosPer1k: 0,
      outputMicrosPer1k: 0,
      known: true,
    });
  });
});

describe('computeCostMicros', () => {
  it('charges input and output at their own prices, rounded up to a whole micro-dollar', () => {
    // 1000 in × 150 + 500 out × 600 per 1k = 150 + 300.
    expect(
      computeCostMicros('openai', 'gpt-4o-mini', { inputTokens: 1000, outputTokens: 500 }),
    ).toEqual({ costMicros: 450, known: true });
    // 1 token of gpt-4o-mini input is 0.15 micro-dollars: never counted as free.
    expect(
      computeCostMicros('openai', 'gpt-4o-mini', { inputTokens: 1, outputTokens: 0 }).costMicros,
    ).toBe(1);
  });

  it('costs 0 for an unknown model, flagged', () => {
    expect(
      computeCostMicros('openai-compatible', 'mistral', { inputTokens: 10, outputTokens: 10 }),
    ).toEqual({ costMicros: 0, known: false });
  });
});
