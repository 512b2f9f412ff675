import type { ModelPrice } from '@kraken/config';

/** Tokens per price unit: prices are quoted in USD per 1,000,000 tokens. */
const PER = 1_000_000;

/**
 * Cost in USD of one request: prompt tokens at the model's input price plus completion tokens at its
 * output price (USD per 1M tokens: the model registry's, LLM_PRICES over them, see withRegistryPrices).
 * A model missing from the table costs 0; rounded to 8 decimals (the usage column's scale).
 */
export function costUsd(prices: Readonly<Record<string, ModelPrice>>, model: string, promptTokens: number, completionTokens: number): number {
  const price = prices[model];
  if (!price) return 0;
  return Math.round(((promptTokens * price.input + completionTokens * price.output) / PER) * 1e8) / 1e8;
}
