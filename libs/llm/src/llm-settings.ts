import type { BudgetLimits } from './llm-budget';
import { KNOWN_PROVIDER_BASE_URLS, llmEnv, parseConfig, providerVariable, type LlmProviderEnv, type ModelPrice } from '@kraken/config';

/** One OpenAI-compatible endpoint with the models Kraken uses on it. */
export interface LlmProviderSettings {
  /** Name from LLM_PROVIDERS, e.g. `openai`, `groq`. */
  name: string;
  /** API base URL, e.g. https://api.groq.com/openai/v1. */
  baseUrl: string;
  /** Bearer key; undefined for self-hosted servers that need none (Ollama, vLLM). */
  apiKey?: string;
  chatModel: string;
  digestModel: string;
}

/** Everything LlmService needs, validated (see llmEnv in @kraken/config). */
export interface LlmSettings {
  /** Configured providers in fallback order (those without a key or a self-hosted URL are left out). */
  providers: LlmProviderSettings[];
  /** Per-attempt request timeout, in ms. */
  timeoutMs: number;
  /** Retries per provider on timeout, connection errors, 408/409/429 and 5xx (OpenAI SDK back-off: 0.5 s doubling up to 8 s, or the server's retry-after). */
  maxRetries: number;
  /**
   * USD per 1M tokens by model name: LLM_PRICES as read here; LlmModule (and withRegistryPrices)
   * put them over the model registry's prices.
   */
  prices: Record<string, ModelPrice>;
  /** The model registry's seed file (LLM_MODELS_PATH; absolute, or relative to the working directory). */
  modelsPath: string;
  /** Completion cache lifetime in seconds; 0 disables the cache. */
  cacheTtlSeconds: number;
  /** Spend budgets in USD (LLM_BUDGET_*); 0 switches one off. */
  budgets: BudgetLimits;
}

/**
 * A provider is usable when it has an API key, or its base URL was set explicitly, or it is `ollama`
 * (a self-hosted Ollama or vLLM answers without a key).
 */
function isConfigured(provider: LlmProviderEnv): boolean {
  return Boolean(provider.apiKey || provider.baseUrl || provider.name === 'ollama');
}

/**
 * Reads LLM settings from environment-like variables: process.env, or configuration already parsed
 * with llmFields (whose LLM_PROVIDER_SETTINGS carries the `LLM_<NAME>_*` values).
 * @throws ConfigError naming each invalid variable (e.g. `LLM_GROQ_BASE_URL: expected an http(s) URL …`)
 */
export function readLlmSettings(env: Record<string, unknown>): LlmSettings {
  const raw: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if ((key.startsWith('LLM_') || key === 'CHAT_MODEL' || key === 'DIGEST_MODEL') && value !== undefined && value !== null) {
      raw[key] = Array.isArray(value) ? value.join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
  }
  delete raw.LLM_PROVIDER_SETTINGS;
  // Already-parsed configuration (ConfigService, parseConfig output) holds the providers collected.
  const collected = env.LLM_PROVIDER_SETTINGS;
  if (Array.isArray(collected)) {
    for (const provider of collected as LlmProviderEnv[]) {
      const fields = { BASE_URL: provider.baseUrl, API_KEY: provider.apiKey, CHAT_MODEL: provider.chatModel, DIGEST_MODEL: provider.digestModel } as const;
      for (const [field, value] of Object.entries(fields)) {
        const key = providerVariable(provider.name, field as keyof typeof fields);
        if (value !== undefined && raw[key] === undefined) raw[key] = value;
      }
    }
  }
  const parsed = parseConfig(llmEnv, raw);
  const providers = parsed.LLM_PROVIDER_SETTINGS.filter(isConfigured).map((p) => ({
    name: p.name,
    baseUrl: p.baseUrl ?? KNOWN_PROVIDER_BASE_URLS[p.name],
    apiKey: p.apiKey,
    chatModel: p.chatModel ?? parsed.CHAT_MODEL,
    digestModel: p.digestModel ?? parsed.DIGEST_MODEL,
  }));
  return {
    providers,
    timeoutMs: parsed.LLM_TIMEOUT_MS,
    maxRetries: parsed.LLM_MAX_RETRIES,
    prices: parsed.LLM_PRICES,
    modelsPath: parsed.LLM_MODELS_PATH,
    cacheTtlSeconds: parsed.LLM_CACHE_TTL_SECONDS,
    budgets: {
      chatDailyUsd: parsed.LLM_BUDGET_CHAT_DAILY_USD,
      chatMonthlyUsd: parsed.LLM_BUDGET_CHAT_MONTHLY_USD,
      dailyUsd: parsed.LLM_BUDGET_DAILY_USD,
      monthlyUsd: parsed.LLM_BUDGET_MONTHLY_USD,
    },
  };
}
