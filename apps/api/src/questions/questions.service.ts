import { randomUUID } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { QuestionRepository, type QuestionView, type SessionPrincipal } from '@kraken/auth';
import type { ApiEnv } from '@kraken/config';
import { LlmAbortedError, LlmNotConfiguredError, LlmService, SpendBudget, type LlmRequest, type LlmResult } from '@kraken/llm';
import { RequestValidationError } from '../http/request-validation';
import { errorBody } from '../http/error-body';

/** How many questions GET /questions returns. */
export const HISTORY_SIZE = 3;

/** A budget refusal: 429 with Retry-After until the period resets. */
export class BudgetExceededError extends HttpException {
  constructor(
    period: 'day' | 'month',
    limitUsd: number,
    readonly resetAt: Date,
  ) {
    super(
      errorBody(HttpStatus.TOO_MANY_REQUESTS, `the ${period === 'day' ? 'daily' : 'monthly'} LLM budget of $${limitUsd} is used up; it resets at ${resetAt.toISOString()}`),
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  /** Seconds until the budget resets (for `Retry-After`), at least 1. */
  retryAfterSeconds(now = Date.now()): number {
    return Math.max(1, Math.ceil((this.resetAt.getTime() - now) / 1000));
  }
}

/** Callbacks of a streamed question. */
export interface StreamSink {
  /** Called once the question was accepted (valid, within budget), before the LLM is asked. */
  start(): void;
  /** Called with each piece of the answer. */
  delta(text: string): void;
  /** Aborts the LLM call (the client went away). */
  signal: AbortSignal;
}

/**
 * Questions through `@kraken/llm` (providers, fallback, completion cache scoped to the asker, usage
 * rows with purpose `api` and requestKey `api-<question id>`, the Telegram user id when linked).
 * Before each call its worst-case cost (prompt + API_MAX_ANSWER_TOKENS at the dearest candidate
 * model) is reserved on the asker's budget; after it the reservation is settled with the real cost.
 * The budget's subject is the linked Telegram user (`tg:<id>`, shared with the bot) or the account
 * (`api:<id>`); limits API_DAILY_BUDGET_USD / API_MONTHLY_BUDGET_USD.
 */
@Injectable()
export class QuestionsService {
  private readonly models: string[];

  constructor(
    private readonly llm: LlmService,
    private readonly budget: SpendBudget,
    private readonly questions: QuestionRepository,
    @Inject(ConfigService) private readonly config: ConfigService<ApiEnv, true>,
  ) {
    const listed = config.get('API_MODELS', { infer: true });
    this.models = listed.length ? listed : [...new Set([config.get('CHAT_MODEL', { infer: true }), config.get('DIGEST_MODEL', { infer: true })])];
  }

  /** Models a question may name (API_MODELS, default CHAT_MODEL and DIGEST_MODEL). */
  allowedModels(): string[] {
    return this.models;
  }

  /**
   * Asks the LLM and stores the answered question; streamed through `sink` when given.
   * @throws RequestValidationError (unknown model), BudgetExceededError (429), LlmNotConfiguredError /
   *   LlmUnavailableError (503), the abort error when the client went away
   */
  async ask(caller: SessionPrincipal, input: { text: string; model?: string }, sink?: StreamSink): Promise<QuestionView> {
    if (input.model !== undefined && !this.models.includes(input.model)) {
      throw new RequestValidationError([{ path: 'model', message: `unknown model; available: ${this.models.join(', ')}` }]);
    }
    if (!this.llm.isConfigured()) throw new LlmNotConfiguredError();
    const id = randomUUID();
    const maxTokens = this.config.get('API_MAX_ANSWER_TOKENS', { infer: true });
    const messages = [{ role: 'user' as const, content: input.text }];
    const request: LlmRequest = {
      role: 'chat',
      model: input.model,
      messages,
      maxTokens,
      // Scoped to the asker: a hit is only ever their own byte-identical request.
      cacheScope: `api:${caller.userId}`,
      userId: caller.telegramUserId ?? undefined,
      purpose: 'api',
      requestKey: `api-${id}`,
      signal: sink?.signal,
    };
    const subject = caller.telegramUserId !== null ? `tg:${caller.telegramUserId}` : `api:${caller.userId}`;
    const reserved = await this.budget.reserve(subject, this.llm.worstCaseCostUsd(request), {
      dailyUsd: this.config.get('API_DAILY_BUDGET_USD', { infer: true }),
      monthlyUsd: this.config.get('API_MONTHLY_BUDGET_USD', { infer: true }),
    });
    if (!reserved.ok) throw new BudgetExceededError(reserved.period, reserved.limitUsd, reserved.resetAt);
    let result: LlmResult;
    try {
      sink?.start();
      result = sink ? await this.llm.stream(request, (text) => sink.delta(text)) : await this.llm.complete(request);
    } catch (error) {
      await this.budget.settle(reserved.reservation, error instanceof LlmAbortedError ? error.partial.costUsd : 0);
      throw error;
    }
    // Storing the question and settling the budget are independent: both wait at once.
    const [question] = await Promise.all([
      // PostgreSQL text cannot hold NUL: a provider's stray NUL characters are dropped, not a 500.
      this.questions.create({ id, userId: caller.userId, question: input.text, answer: result.text.replaceAll('\u0000', ''), ...usageOf(result) }),
      this.budget.settle(reserved.reservation, result.costUsd),
    ]);
    return question;
  }

  /** The caller's HISTORY_SIZE newest questions, newest first. */
  history(caller: SessionPrincipal): Promise<QuestionView[]> {
    return this.questions.latest(caller.userId, HISTORY_SIZE);
  }

  /**
   * A question by id: the caller's own, or any for an admin.
   * @throws NotFoundException for a missing question and for someone else's (never 403: ids are not confirmed)
   */
  async get(caller: SessionPrincipal, id: string): Promise<QuestionView> {
    const question = await this.questions.findById(id);
    if (!question || (question.userId !== caller.userId && caller.role !== 'admin')) throw new NotFoundException('no such question');
    return question;
  }
}

function usageOf(result: LlmResult) {
  return {
    model: result.model,
    provider: result.provider,
    promptTokens: result.promptTokens,
    completionTokens: result.completionTokens,
    costUsd: result.costUsd,
    cached: result.cached,
    latencyMs: result.latencyMs,
  };
}
