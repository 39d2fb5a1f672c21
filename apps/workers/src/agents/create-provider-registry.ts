import {
  createProvider,
  createRateLimiter,
  type ProviderConfig,
  type ProviderRegistry,
  type ResolvedProvider,
} from '@switchyard/agents';
import type { Redis } from '@switchyard/shared';
import type { WorkersConfig } from '../env';

/**
 * The model providers this worker can call: the offline scripted model always (the no-key
 * default), plus every provider whose key or URL is set. Each real provider gets a Redis-shared
 * rate limiter per API key, so a 429 backs every worker off.
 */
export function createProviderRegistry(
  config: Pick<WorkersConfig, 'providers' | 'queuePrefix'>,
  redis: Redis,
): ProviderRegistry {
  const { providers } = config;
  const configs: ProviderConfig[] = [{ provider: 'scripted' }];
  if (providers.openai) {
    configs.push({
      provider: 'openai',
      apiKey: providers.openai.apiKey,
      ...(providers.openai.baseUrl ? { baseUrl: providers.openai.baseUrl } : {}),
    });
  }
  if (providers.anthropic) {
    configs.push({
      provider: 'anthropic',
      apiKey: providers.anthropic.apiKey,
      ...(providers.anthropic.baseUrl ? { baseUrl: providers.anthropic.baseUrl } : {}),
    });
  }
  if (providers.openaiCompatible) {
    configs.push({
      provider: 'openai-compatible',
      baseUrl: providers.openaiCompatible.baseUrl,
      ...(providers.openaiCompatible.apiKey ? { apiKey: providers.openaiCompatible.apiKey } : {}),
    });
  }
  const resolved = new Map<string, ResolvedProvider>();
  for (const providerConfig of configs) {
    const provider = createProvider(providerConfig);
    if (providerConfig.provider === 'scripted') {
      resolved.set(provider.id, { provider });
      continue;
    }
    const limiter = createRateLimiter({
      redis,
      provider: provider.id,
      ...('apiKey' in providerConfig && providerConfig.apiKey
        ? { apiKey: providerConfig.apiKey }
        : {}),
      ...('baseUrl' in providerConfig && providerConfig.baseUrl
        ? { baseUrl: providerConfig.baseUrl }
        : {}),
      keyPrefix: `${config.queuePrefix}:`,
    });
    resolved.set(provider.id, { provider, limiter });
  }
  return { get: (providerId) => resolved.get(providerId) };
}
