import { randomUUID } from 'node:crypto';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { QuestionRepository, type QuestionView, type SessionPrincipal } from '@kraken/auth';
import type { ApiEnv } from '@kraken/config';
import { LlmNotConfiguredError, LlmService, type LlmRequest, type LlmResult } from '@kraken/llm';
import { RequestValidationError } from '../http/request-validation';

/** How many questions GET /questions returns. */
export const HISTORY_SIZE = 3;

/** Callbacks of a streamed question. */
export interface StreamSink {
  /** Called with each piece of the answer (the first one comes after every check and reservation passed). */
  delta(text: string): void;
  /** Aborts the LLM call (the client went away). */
  signal: AbortSignal;
}

/**
 * Questions through `@kraken/llm`: providers with fallback, the completion cache scoped to the asker,
 * usage rows with purpose `api` and requestKey `api-<question id>`, and the budgets. LlmService
 * reserves each call's worst case (prompt + API_MAX_ANSWER_TOKENS at the dearest model it may use) in
 * one step against the deployment's budgets (LLM_BUDGET_*), the asker's own (`spender`: scope
 * `user:tg:<telegram id>` when linked, else `user:api:<account id>`; API_DAILY_BUDGET_USD /
 * API_MONTHLY_BUDGET_USD) and, for an account linked to Telegram, the budget of its private chat with
 * the bot (LLM_BUDGET_CHAT_*; the usage rows carry that chat and user, so /usage there shows them):
 * the budget and usage shared with the bot. Afterwards the reservation is settled with the real cost.
 */
@Injectable()
export class QuestionsService {
  private readonly models: string[];

  constructor(
    private readonly llm: LlmService,
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
   * @throws RequestValidationError (unknown model), LlmBudgetExceededError (429), LlmNotConfiguredError /
   *   LlmUnavailableError (503), LlmAbortedError or the abort error when the client went away
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
      // A linked account's questions count where the bot counts that person: their private chat (whose id is the user id).
      chatId: caller.telegramUserId ?? undefined,
      spender: {
        scope: caller.telegramUserId !== null ? `user:tg:${caller.telegramUserId}` : `user:api:${caller.userId}`,
        dailyUsd: this.config.get('API_DAILY_BUDGET_USD', { infer: true }),
        monthlyUsd: this.config.get('API_MONTHLY_BUDGET_USD', { infer: true }),
      },
      purpose: 'api',
      requestKey: `api-${id}`,
      signal: sink?.signal,
    };
    const result: LlmResult = sink ? await this.llm.stream(request, (text) => sink.delta(text)) : await this.llm.complete(request);
    // PostgreSQL text cannot hold NUL: a provider's stray NUL characters are dropped, not a 500.
    return this.questions.create({ id, userId: caller.userId, question: input.text, answer: result.text.replaceAll('\u0000', ''), ...usageOf(result) });
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
