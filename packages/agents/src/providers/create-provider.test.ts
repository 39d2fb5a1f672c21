import { describe, expect, it } from 'vitest';
import { createProvider, providerConfigSchema } from './create-provider';

describe('createProvider', () => {
  it('chooses the adapter by provider id', () => {
    expect(createProvider({ provider: 'scripted' })).toMatchObject({
      id: 'scripted',
      label: 'Scripted model (offline)',
    });
    expect(createProvider({ provider: 'openai', apiKey: 'sk-x' })).toMatchObject({
      id: 'openai',
      label: 'OpenAI',
    });
    expect(
      createProvider({ provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1' }),
    ).toMatchObject({ id: 'openai-compatible', label: 'OpenAI-compatible (127.0.0.1:11434)' });
    expect(createProvider({ provider: 'anthropic', apiKey: 'sk-ant-x' })).toMatchObject({
      id: 'anthropic',
      label: 'Anthropic',
    });
  });
});

describe('providerConfigSchema', () => {
  it('accepts each provider with its required settings', () => {
    expect(providerConfigSchema.parse({ provider: 'scripted', latencyMs: 5 })).toEqual({
      provider: 'scripted',
      latencyMs: 5,
    });
    expect(
      providerConfigSchema.parse({ provider: 'openai-compatible', baseUrl: 'http://vllm:8000/v1' }),
    ).toMatchObject({ provider: 'openai-compatible' });
  });

  it('refuses a real provider without its key, a compatible one without its URL, and odd URLs', () => {
    expect(providerConfigSchema.safeParse({ provider: 'openai' }).success).toBe(false);
    expect(providerConfigSchema.safeParse({ provider: 'anthropic', apiKey: '' }).success).toBe(
      false,
    );
    expect(providerConfigSchema.safeParse({ provider: 'openai-compatible' }).success).toBe(false);
    expect(
      providerConfigSchema.safeParse({ provider: 'openai-compatible', baseUrl: 'file:///tmp/x' })
        .success,
    ).toBe(false);
    expect(providerConfigSchema.safeParse({ provider: 'gemini' }).success).toBe(false);
  });
});
