import type { ModelUsage, ProviderId } from './types';

/** Price of a model in micro-dollars (1e-6 USD) per 1,000 tokens. */
export type ModelPrice = { inputMicrosPer1k: number; outputMicrosPer1k: number };

/**
 * List prices (USD per million tokens ÷ 1000 × 1e6 = micro-dollars per 1k tokens). Keys are model
 * names or prefixes: a dated snapshot (`gpt-4o-2024-08-06`) takes the longest matching key.
 */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  // OpenAI
  'gpt-5': { inputMicrosPer1k: 1250, outputMicrosPer1k: 10_000 },
  'gpt-5-mini': { inputMicrosPer1k: 250, outputMicrosPer1k: 2000 },
  'gpt-5-nano': { inputMicrosPer1k: 50, outputMicrosPer1k: 400 },
  'gpt-4.1': { inputMicrosPer1k: 2000, outputMicrosPer1k: 8000 },
  'gpt-4.1-mini': { inputMicrosPer1k: 400, outputMicrosPer1k: 1600 },
  'gpt-4.1-nano': { inputMicrosPer1k: 100, outputMicrosPer1k: 400 },
  'gpt-4o': { inputMicrosPer1k: 2500, outputMicrosPer1k: 10_000 },
  'gpt-4o-mini': { inputMicrosPer1k: 150, outputMicrosPer1k: 600 },
  o3: { inputMicrosPer1k: 2000, outputMicrosPer1k: 8000 },
  'o3-mini': { inputMicrosPer1k: 1100, outputMicrosPer1k: 4400 },
  'o4-mini': { inputMicrosPer1k: 1100, outputMicrosPer1k: 4400 },
  // Anthropic
  'claude-opus-4-5': { inputMicrosPer1k: 5000, outputMicrosPer1k: 25_000 },
  'claude-opus-4-1': { inputMicrosPer1k: 15_000, outputMicrosPer1k: 75_000 },
  'claude-opus-4': { inputMicrosPer1k: 15_000, outputMicrosPer1k: 75_000 },
  'claude-sonnet-4': { inputMicrosPer1k: 3000, outputMicrosPer1k: 15_000 },
  'claude-haiku-4-5': { inputMicrosPer1k: 1000, outputMicrosPer1k: 5000 },
  'claude-3-7-sonnet': { inputMicrosPer1k: 3000, outputMicrosPer1k: 15_000 },
  'claude-3-5-haiku': { inputMicrosPer1k: 800, outputMicrosPer1k: 4000 },
};

const FREE: ModelPrice = { inputMicrosPer1k: 0, outputMicrosPer1k: 0 };

export type PriceLookup = ModelPrice & {
  /** False when the model is not in the table: its cost is counted as 0. */
  known: boolean;
};

/**
 * The price of `model`. The scripted model is free (and known); a model missing from the table
 * (a self-hosted one, a new release) costs 0 with `known: false`, so callers can flag it.
 */
export function getModelPrice(provider: ProviderId | string, model: string): PriceLookup {
  if (provider === 'scripted') return { ...FREE, known: true };
  const name = model.trim().toLowerCase();
  let best: string | undefined;
  for (const key of Object.keys(MODEL_PRICES)) {
    const matches = name === key || name.startsWith(`${key}-`) || name.startsWith(`${key}@`);
    if (matches && (best === undefined || key.length > best.length)) best = key;
  }
  const price = best === undefined ? undefined : MODEL_PRICES[best];
  return price ? { ...price, known: true } : { ...FREE, known: false };
}

export type CostEstimate = { costMicros: number; known: boolean };

/** Cost of one call in whole micro-dollars, rounded up so that budgets never under-count. */
export function computeCostMicros(
  provider: ProviderId | string,
  model: string,
  usage: ModelUsage,
): CostEstimate {
  const price = getModelPrice(provider, model);
  const micros =
    (usage.inputTokens * price.inputMicrosPer1k + usage.outputTokens * price.outputMicrosPer1k) /
    1000;
  return { costMicros: Math.ceil(micros), known: price.known };
}
