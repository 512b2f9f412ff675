import type { SpenderBudget } from './llm-budget';

/** Which configured model a request uses: CHAT_MODEL (fast, answers) or DIGEST_MODEL (strong, digests). */
export type LlmRole = 'chat' | 'digest';

/** One chat message sent to the model (OpenAI chat-completions roles). */
export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /**
   * Images a `user` message shows the model, as `data:<mime>;base64,…` URLs; sent as `image_url`
   * content parts after the text (https://platform.openai.com/docs/guides/images-vision). Only for
   * models with the registry's `vision` capability. Their tokens are not counted locally.
   */
  images?: string[];
}

/** A request to LlmService.complete. */
export interface LlmRequest {
  role: LlmRole;
  /**
   * A model to use on every provider instead of the role's (CHAT_MODEL / DIGEST_MODEL or the
   * provider's own); callers check it against an allow-list (e.g. API_MODELS).
   */
  model?: string;
  messages: LlmMessage[];
  /** Upper bound of completion tokens (OpenAI `max_tokens`); provider default when omitted. */
  maxTokens?: number;
  /**
   * The parameter `maxTokens` is sent as: `max_tokens` (default; most Chat Completions providers) or
   * `max_completion_tokens` (OpenAI's reasoning models refuse `max_tokens`); see the model registry.
   */
  outputLimitParam?: 'max_tokens' | 'max_completion_tokens';
  /** Sampling temperature 0-2; provider default when omitted. */
  temperature?: number;
  /**
   * Enables the completion cache within this scope. The key is the SHA-256 of the scope and the whole
   * request as each provider would receive it (provider, base URL, model, the exact messages,
   * max_tokens, temperature), so an answer is reused only for a byte-identical request in the same
   * scope, for LLM_CACHE_TTL_SECONDS. Use one scope per chat (`chat:<chatId>`): a private chat's
   * entries then never serve anyone else. Omitted: no cache.
   */
  cacheScope?: string;
  /** Telegram chat id, recorded with the usage row. */
  chatId?: number;
  /** Telegram user id, recorded with the usage row. */
  userId?: number;
  /** What the request is for, recorded with the usage row, e.g. `chat-answer` or `monthly-digest`. */
  purpose: string;
  /**
   * Idempotency key of the usage row (e.g. a BullMQ job id): a retried job records its request once.
   * Optional; without it every call records a row.
   */
  requestKey?: string;
  /** Aborts the request (e.g. the HTTP client went away); the call then rejects with the abort error. */
  signal?: AbortSignal;
  /**
   * The caller's own budget (e.g. an HTTP API account), reserved together with the chat and global
   * ones (see LlmBudget); its refusal is LlmBudgetExceededError with scope `spender`.
   */
  spender?: SpenderBudget;
}

/** The answer of LlmService.complete. */
export interface LlmResult {
  text: string;
  /** Model that answered (the provider's model name). */
  model: string;
  /** Provider name from LLM_PROVIDERS (the original provider for a cache hit). */
  provider: string;
  /** Prompt tokens as reported by the provider (or counted with gpt-tokenizer when it reports none); 0 for a cache hit. */
  promptTokens: number;
  /** Completion tokens, same rules as promptTokens. */
  completionTokens: number;
  /** Cost in USD from the price table; 0 for a cache hit. */
  costUsd: number;
  /** True when the answer came from the completion cache. */
  cached: boolean;
  /** Wall time of the call in ms, retries and fallbacks included. */
  latencyMs: number;
}
