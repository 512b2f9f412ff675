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

/** Which budget refused a call: one chat's, the caller's own (LlmRequest.spender) or the deployment's, per day or per month. */
export interface BudgetRefusal {
  scope: 'chat' | 'spender' | 'global';
  period: 'day' | 'month';
  /** The budget, USD. */
  limitUsd: number;
  /** When the period ends (the next day or month begins in KRAKEN_TIMEZONE). */
  resetAt: Date;
}

/**
 * Thrown by LlmService.complete, before any provider is called, when the request's worst-case cost
 * would take one of the LLM budgets (LLM_BUDGET_*) past its limit. `refusal` names that budget.
 */
export class LlmBudgetExceededError extends Error {
  override name = 'LlmBudgetExceededError';

  constructor(readonly refusal: BudgetRefusal) {
    super(`LLM budget reached: ${refusal.scope} ${refusal.period === 'day' ? 'daily' : 'monthly'} ${refusal.limitUsd} USD`);
  }
}

/**
 * Thrown by LlmService.stream when `request.signal` aborted a stream that had already produced text.
 * `partial` holds what was generated, with tokens counted by gpt-tokenizer and their cost (USD); it
 * was recorded as a usage row and settled on the budgets, since the provider bills it.
 */
export class LlmAbortedError extends Error {
  override name = 'LlmAbortedError';

  constructor(readonly partial: LlmResult) {
    super('the LLM request was aborted');
  }
}
