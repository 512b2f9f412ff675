import type { LlmResult } from './llm-types';

/** Thrown by LlmService.complete when no provider has an API key or a self-hosted base URL. */
export class LlmNotConfiguredError extends Error {
  override name = 'LlmNotConfiguredError';

  constructor() {
    super('LLM is not configured: set LLM_<NAME>_API_KEY (or a self-hosted LLM_<NAME>_BASE_URL) for a provider in LLM_PROVIDERS');
  }
}

/**
 * Thrown by LlmService.complete when every configured provider failed (after its bounded retries).
 * `reasons` holds one line per provider, in the order they were tried, e.g.
 * `groq (llama-3.1-8b-instant): 429 Rate limit reached`.
 */
export class LlmUnavailableError extends Error {
  override name = 'LlmUnavailableError';

  constructor(readonly reasons: string[]) {
    super(`every LLM provider failed: ${reasons.join('; ')}`);
  }
}

/**
 * Thrown by LlmService.stream when `request.signal` aborted a stream that had already produced text.
 * `partial` holds what was generated, with tokens counted by gpt-tokenizer and their cost (USD); it
 * was recorded as a usage row, since the provider bills it.
 */
export class LlmAbortedError extends Error {
  override name = 'LlmAbortedError';

  constructor(readonly partial: LlmResult) {
    super('the LLM request was aborted');
  }
}
