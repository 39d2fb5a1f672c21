import { z } from 'zod';
import { createAnthropicProvider } from './anthropic-provider';
import { createOpenAiProvider } from './openai-provider';
import { createScriptedProvider, type ScriptedProviderOptions } from './scripted/scripted-provider';
import { PROVIDER_IDS, type ModelProvider } from './types';

export const providerIdSchema = z.enum(PROVIDER_IDS);

const timeoutMs = z.number().int().positive().optional();

/** A provider's settings, as read from config (env) and validated at boot. */
export const providerConfigSchema = z.discriminatedUnion('provider', [
  z.object({
    provider: z.literal('openai'),
    apiKey: z.string().min(1),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    timeoutMs,
  }),
  z.object({
    provider: z.literal('openai-compatible'),
    baseUrl: z.url({ protocol: /^https?$/ }),
    apiKey: z.string().min(1).optional(),
    timeoutMs,
  }),
  z.object({
    provider: z.literal('anthropic'),
    apiKey: z.string().min(1),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    timeoutMs,
  }),
  z.object({
    provider: z.literal('scripted'),
    latencyMs: z.number().int().min(0).optional(),
  }),
]);

/** Settings of one provider; the scripted one also takes a test script. */
export type ProviderConfig =
  | Exclude<z.infer<typeof providerConfigSchema>, { provider: 'scripted' }>
  | ({ provider: 'scripted' } & ScriptedProviderOptions);

/** The {@link ModelProvider} for `config`, chosen by its `provider` id. */
export function createProvider(config: ProviderConfig): ModelProvider {
  switch (config.provider) {
    case 'openai':
    case 'openai-compatible': {
      const { provider, ...options } = config;
      return createOpenAiProvider({ id: provider, ...options });
    }
    case 'anthropic': {
      const { provider: _provider, ...options } = config;
      return createAnthropicProvider(options);
    }
    case 'scripted': {
      const { provider: _provider, ...options } = config;
      return createScriptedProvider(options);
    }
  }
}
