import { randomUUID } from 'node:crypto';
import { Metrics } from '@kraken/observability';
import { Logger } from '@nestjs/common';
import OpenAI, { toFile } from 'openai';
import { CompletionCache } from './completion-cache';
import type { LlmBudget } from './llm-budget';
import { LlmAbortedError, LlmNotConfiguredError, LlmUnavailableError } from './llm-errors';
import type { LlmProviderSettings, LlmSettings } from './llm-settings';
import type { LlmMessage, LlmRequest, LlmResult, LlmRole } from './llm-types';
import { costUsd } from './price-table';
import { countMessagesTokens, countTokens } from './token-count';
import { TranscriptionRejectedError, transcriptionCostUsd, type TranscriptionRequest, type TranscriptionResult } from './transcription';
import type { UsageRecord, UsageSink } from './usage-recorder';

/** Optional collaborators of LlmService. */
export interface LlmServiceDeps {
  /** Completion cache; without it `cacheScope` is ignored. */
  cache?: CompletionCache;
  /** Usage rows; without it nothing is recorded. */
  usage?: UsageSink;
  /** Spend budgets; without it (or with every budget 0) calls are not limited. */
  budget?: LlmBudget;
  /** Clock for latency, in ms (tests); default performance.now. */
  now?: () => number;
}

/** Completion tokens assumed for the worst case of a request that sets no `maxTokens`. */
export const WORST_CASE_COMPLETION_TOKENS = 4096;

/**
 * Chat completions through an ordered chain of OpenAI-compatible providers (the `openai` SDK with each
 * provider's base URL and key: OpenAI, Groq, Gemini's OpenAI endpoint, OpenRouter, Ollama, vLLM …).
 *
 * Each provider gets `maxRetries` retries on timeouts, connection errors, 408/409/429 and 5xx with the
 * SDK's back-off (0.5 s doubling up to 8 s, or the server's `retry-after`/`retry-after-ms`), each
 * attempt limited to `timeoutMs`; when it still fails (or fails otherwise, e.g. 401), the next
 * provider is tried. Answers may come from the completion cache (see LlmRequest.cacheScope). Every
 * request, cache hits included, is recorded as a usage row with tokens, cost (USD) and latency (ms);
 * every completion a provider returned also adds its tokens and cost to the Prometheus counters
 * `kraken_llm_tokens_total{model,kind}` and `kraken_llm_cost_usd_total{model}` (cache hits cost nothing).
 *
 * Budgets (LlmBudget, optional): before the first provider is asked (after a cache miss), the
 * request's worst-case cost — its prompt tokens (gpt-tokenizer) plus `maxTokens` completion tokens,
 * at the price of the most expensive model the provider chain may use — is reserved under its
 * `requestKey`; afterwards the reservation is settled with the reported cost (0 when every provider
 * failed, what a stream generated before it was aborted). A request over a budget calls no provider.
 * A request may name its caller's own budget (`spender`), reserved in the same step.
 *
 * stream() delivers the answer piece by piece as the provider streams it; `request.model` replaces
 * the role's model on every provider; `request.signal` aborts a call.
 *
 * Nest apps get it from LlmModule; elsewhere: `new LlmService(readLlmSettings(process.env), { cache, usage })`.
 */
export class LlmService {
  private readonly logger = new Logger(LlmService.name);
  private readonly clients = new Map<string, OpenAI>();
  private readonly now: () => number;

  constructor(
    private readonly settings: LlmSettings,
    private readonly deps: LlmServiceDeps = {},
  ) {
    this.now = deps.now ?? (() => performance.now());
  }

  /** True when at least one provider has a key or a self-hosted base URL. */
  isConfigured(): boolean {
    return this.settings.providers.length > 0;
  }

  /**
   * The model the first provider uses for `role` (what prompts should be counted for), or the
   * configured default when no provider is configured.
   */
  modelFor(role: LlmRole): string {
    const first = this.settings.providers[0];
    if (!first) return role === 'chat' ? 'gpt-4o-mini' : 'gpt-4o';
    return modelOf(first, role);
  }

  /**
   * The most a request can cost, in USD: its prompt tokens (gpt-tokenizer, chat overhead included)
   * plus `maxTokens` (else WORST_CASE_COMPLETION_TOKENS) completion tokens, priced for the dearest
   * model it may be answered with (`request.model`, else each provider's model for the role). What
   * the budgets reserve before the call.
   */
  worstCaseUsd(request: Pick<LlmRequest, 'role' | 'model' | 'messages' | 'maxTokens'>): number {
    const completionTokens = request.maxTokens ?? WORST_CASE_COMPLETION_TOKENS;
    const models = request.model ? [request.model] : [...new Set(this.settings.providers.map((provider) => modelOf(provider, request.role)))];
    const costs = models.map((model) => costUsd(this.settings.prices, model, countMessagesTokens(request.messages, model), completionTokens));
    return Math.max(0, ...costs);
  }

  /**
   * Runs one chat completion (non-streaming).
   * @throws LlmNotConfiguredError when no provider is configured
   * @throws LlmBudgetExceededError when the request's worst case would pass a budget (no provider called)
   * @throws LlmUnavailableError (with one reason per provider) when every provider failed
   * @throws the abort error when `request.signal` aborted the call (no fallback after that)
   */
  async complete(request: LlmRequest): Promise<LlmResult> {
    return this.run(request, (provider, body, started) => this.ask(provider, body, request.signal, started));
  }

  /**
   * Runs one chat completion streamed from the provider (`stream: true` with usage in the last
   * chunk), calling `onDelta` with each piece of text as it arrives; a cache hit is delivered as one
   * piece. A provider failing before its first piece falls back to the next one; once text was
   * delivered there is no fallback (the caller already has part of an answer). Cache, budgets and
   * usage work as for complete() (a streamed and a plain request share cache entries); a stream
   * aborted through `request.signal` records and settles what was generated so far (tokens counted
   * with gpt-tokenizer) and throws LlmAbortedError with that cost.
   * @returns the whole answer with its usage
   * @throws LlmNotConfiguredError, LlmBudgetExceededError, LlmUnavailableError, LlmAbortedError
   */
  async stream(request: LlmRequest, onDelta: (text: string) => void | Promise<void>): Promise<LlmResult> {
    return this.run(request, (provider, body, started, progress) => this.askStreaming(provider, body, request.signal, started, onDelta, progress), onDelta);
  }

  /**
   * Transcribes one audio file through the providers' OpenAI-compatible `/audio/transcriptions`
   * (https://platform.openai.com/docs/api-reference/audio/createTranscription) with `verbose_json`,
   * so the language is detected and reported. Billed per second of audio (`usdPerMinute`): the
   * budgets reserve `expectedSeconds` first; the usage row has 0 tokens and the cost.
   * Providers are tried in order on timeouts, connection errors and 5xx (after the SDK's retries).
   * @throws LlmNotConfiguredError, LlmBudgetExceededError (no provider called)
   * @throws TranscriptionRejectedError when a provider refused the audio (400/413/415; nothing billed)
   * @throws LlmUnavailableError when every provider failed
   */
  async transcribe(request: TranscriptionRequest): Promise<TranscriptionResult> {
    if (!this.isConfigured()) throw new LlmNotConfiguredError();
    const budget = this.deps.budget?.isActive() ? this.deps.budget : undefined;
    const budgetKey = request.requestKey ?? randomUUID();
    if (budget) await budget.reserve(budgetKey, transcriptionCostUsd(request.expectedSeconds + 1, request.usdPerMinute), request.chatId);
    let spentUsd = 0;
    try {
      const reasons: string[] = [];
      for (const provider of this.settings.providers) {
        const started = this.now();
        try {
          const answer = await this.client(provider).audio.transcriptions.create({
            file: await toFile(request.file, request.fileName),
            model: request.model,
            response_format: 'verbose_json',
          }, request.timeoutMs !== undefined ? { timeout: request.timeoutMs } : {});
          const seconds = typeof answer.duration === 'number' && answer.duration > 0 ? answer.duration : request.expectedSeconds;
          const result: TranscriptionResult = {
            text: answer.text.trim(),
            ...(answer.language ? { language: answer.language } : {}),
            seconds,
            costUsd: transcriptionCostUsd(seconds, request.usdPerMinute),
            provider: provider.name,
            model: request.model,
            latencyMs: this.now() - started,
          };
          spentUsd = result.costUsd;
          Metrics.llmCostUsd.inc({ model: request.model }, result.costUsd);
          await this.deps.usage
            ?.record({ requestKey: request.requestKey, chatId: request.chatId, userId: request.userId, purpose: request.purpose, provider: provider.name, model: request.model, promptTokens: 0, completionTokens: 0, costUsd: result.costUsd, cached: false, latencyMs: result.latencyMs })
            .catch((error: unknown) => this.logger.error(`usage row not recorded: ${describeError(error)}`));
          return result;
        } catch (error) {
          if (error instanceof OpenAI.APIError && [400, 413, 415].includes(error.status ?? 0)) throw new TranscriptionRejectedError(error.status!, describeError(error));
          const reason = `${provider.name} (${request.model}): ${describeError(error)}`;
          reasons.push(reason);
          this.logger.warn(`transcription failed, ${reasons.length < this.settings.providers.length ? 'trying the next provider' : 'no provider left'}: ${reason}`);
        }
      }
      throw new LlmUnavailableError(reasons);
    } finally {
      if (budget) await budget.settle(budgetKey, spentUsd).catch((error: unknown) => this.logger.error(`budget reservation ${budgetKey} not settled: ${describeError(error)}`));
    }
  }

  /** Cache, budgets, then providers in order with fallback, then the usage row: shared by complete() and stream(). */
  private async run(
    request: LlmRequest,
    attempt: (provider: LlmProviderSettings, body: ChatBody, started: number, progress: { emitted: boolean }) => Promise<LlmResult>,
    onCacheHit?: (text: string) => void | Promise<void>,
  ): Promise<LlmResult> {
    if (!this.isConfigured()) throw new LlmNotConfiguredError();
    const started = this.now();
    const bodies = new Map(this.settings.providers.map((provider) => [provider.name, requestBody(request.model ?? modelOf(provider, request.role), request)]));
    const cacheKeys = new Map<string, string>();
    if (request.cacheScope !== undefined && this.deps.cache) {
      for (const provider of this.settings.providers) {
        cacheKeys.set(provider.name, CompletionCache.keyOf({ scope: request.cacheScope, provider: provider.name, baseUrl: provider.baseUrl, body: bodies.get(provider.name)! }));
      }
      // A hit is an earlier byte-identical request to any provider of the chain (the first that has one).
      const hit = await this.deps.cache.getFirst([...cacheKeys.values()]).catch((error: unknown) => this.cacheTrouble('read', error));
      if (hit) {
        const result: LlmResult = { ...hit, promptTokens: 0, completionTokens: 0, costUsd: 0, cached: true, latencyMs: this.now() - started };
        await onCacheHit?.(hit.text);
        await this.record(request, result);
        return result;
      }
    }
    const budget = this.deps.budget && (this.deps.budget.isActive() || request.spender) ? this.deps.budget : undefined;
    const budgetKey = request.requestKey ?? randomUUID();
    if (budget) await budget.reserve(budgetKey, this.worstCaseUsd(request), request.chatId, request.spender);
    let spentUsd = 0;
    try {
      const reasons: string[] = [];
      for (const provider of this.settings.providers) {
        const body = bodies.get(provider.name)!;
        const progress = { emitted: false };
        try {
          const result = await attempt(provider, body, started, progress);
          spentUsd = result.costUsd;
          const cacheKey = cacheKeys.get(provider.name);
          const cached =
            cacheKey === undefined
              ? undefined
              : this.deps.cache?.set(cacheKey, { text: result.text, model: result.model, provider: result.provider }).catch((error: unknown) => this.cacheTrouble('write', error));
          // The cache write and the usage row are independent: one round trip's wait, not two.
          await Promise.all([cached, this.record(request, result)]);
          return result;
        } catch (error) {
          if (error instanceof LlmAbortedError) {
            spentUsd = error.partial.costUsd;
            await this.record(request, error.partial);
            throw error;
          }
          if (request.signal?.aborted) throw error;
          const reason = `${provider.name} (${body.model}): ${describeError(error)}`;
          reasons.push(reason);
          if (progress.emitted) {
            this.logger.warn(`LLM provider failed mid-stream, no fallback: ${reason}`);
            throw new LlmUnavailableError(reasons);
          }
          this.logger.warn(`LLM provider failed, ${reasons.length < this.settings.providers.length ? 'trying the next one' : 'no provider left'}: ${reason}`);
        }
      }
      throw new LlmUnavailableError(reasons);
    } finally {
      if (budget) {
        await budget
          .settle(budgetKey, spentUsd)
          .catch((error: unknown) => this.logger.error(`budget reservation ${budgetKey} not settled, its worst case stays held: ${describeError(error)}`));
      }
    }
  }

  private async ask(provider: LlmProviderSettings, body: ChatBody, signal: AbortSignal | undefined, started: number): Promise<LlmResult> {
    const completion = await this.client(provider).chat.completions.create(body, { signal });
    const text = completion.choices[0]?.message?.content?.trim() ?? '';
    if (!text) throw new Error(`empty answer (finish_reason ${completion.choices[0]?.finish_reason ?? 'none'})`);
    return this.result(provider, body, completion.model, text, completion.usage, started);
  }

  private async askStreaming(
    provider: LlmProviderSettings,
    body: ChatBody,
    signal: AbortSignal | undefined,
    started: number,
    onDelta: (text: string) => void | Promise<void>,
    progress: { emitted: boolean },
  ): Promise<LlmResult> {
    let text = '';
    let answered = '';
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    let finish: string | null | undefined;
    try {
      const stream = await this.client(provider).chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal });
      for await (const chunk of stream) {
        answered ||= chunk.model;
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices[0];
        finish = choice?.finish_reason ?? finish;
        const delta = choice?.delta?.content;
        if (!delta) continue;
        text += delta;
        progress.emitted = true;
        await onDelta(delta);
      }
    } catch (error) {
      if (!signal?.aborted) throw error;
    }
    // The SDK ends the iteration quietly when the signal aborts it.
    if (signal?.aborted) {
      if (progress.emitted) throw new LlmAbortedError(this.result(provider, body, answered, text, undefined, started));
      throw signal.reason instanceof Error ? signal.reason : new Error('the LLM request was aborted');
    }
    if (!text.trim()) throw new Error(`empty answer (finish_reason ${finish ?? 'none'})`);
    return this.result(provider, body, answered, text.trim(), usage, started);
  }

  /** The LlmResult of an answer: the provider's usage, or tokens counted with gpt-tokenizer when it sent none. */
  private result(
    provider: LlmProviderSettings,
    body: ChatBody,
    answeredModel: string | undefined,
    text: string,
    usage: { prompt_tokens: number; completion_tokens: number } | undefined | null,
    started: number,
  ): LlmResult {
    const model = body.model;
    const promptTokens = usage?.prompt_tokens ?? countMessagesTokens(body.messages.map(textOnly), model);
    const completionTokens = usage?.completion_tokens ?? countTokens(text, model);
    return {
      text,
      model: answeredModel || model,
      provider: provider.name,
      promptTokens,
      completionTokens,
      costUsd: costUsd(this.settings.prices, model, promptTokens, completionTokens),
      cached: false,
      latencyMs: this.now() - started,
    };
  }

  private client(provider: LlmProviderSettings): OpenAI {
    let client = this.clients.get(provider.name);
    if (!client) {
      client = new OpenAI({
        baseURL: provider.baseUrl,
        // The SDK insists on a key; self-hosted servers ignore it.
        apiKey: provider.apiKey ?? 'not-needed',
        timeout: this.settings.timeoutMs,
        maxRetries: this.settings.maxRetries,
      });
      this.clients.set(provider.name, client);
    }
    return client;
  }

  private async record(request: LlmRequest, result: LlmResult): Promise<void> {
    if (!result.cached) {
      // Tokens the provider billed, counted per completion (a re-run job that asked again paid again).
      Metrics.llmTokens.inc({ model: result.model, kind: 'prompt' }, result.promptTokens);
      Metrics.llmTokens.inc({ model: result.model, kind: 'completion' }, result.completionTokens);
      Metrics.llmCostUsd.inc({ model: result.model }, result.costUsd);
    }
    if (!this.deps.usage) return;
    const row: UsageRecord = {
      requestKey: request.requestKey,
      chatId: request.chatId,
      userId: request.userId,
      provider: result.provider,
      model: result.model,
      purpose: request.purpose,
      promptTokens: result.promptTokens,
      completionTokens: result.completionTokens,
      costUsd: result.costUsd,
      cached: result.cached,
      latencyMs: result.latencyMs,
    };
    // Accounting must not cost the user the answer: a failed write is logged, not thrown.
    await this.deps.usage.record(row).catch((error: unknown) => this.logger.error(`usage row not recorded: ${describeError(error)}`));
  }

  private cacheTrouble(what: string, error: unknown): null {
    this.logger.warn(`completion cache ${what} failed (answering without it): ${describeError(error)}`);
    return null;
  }
}

function modelOf(provider: LlmProviderSettings, role: LlmRole): string {
  return role === 'chat' ? provider.chatModel : provider.digestModel;
}

/** A chat-completions request body (non-streaming form). */
type ChatBody = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

/**
 * The chat-completions body sent for `request` to `model`: what the provider gets (stream() adds the
 * streaming fields) and what the completion cache hashes.
 */
function requestBody(model: string, request: LlmRequest): ChatBody {
  return {
    model,
    messages: request.messages.map(toChatMessage),
    ...(request.maxTokens !== undefined ? { [request.outputLimitParam ?? 'max_tokens']: request.maxTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
  };
}

/** `message` as Chat Completions takes it: a string content, or text plus `image_url` parts when it carries images. */
function toChatMessage(message: LlmMessage): OpenAI.Chat.ChatCompletionMessageParam {
  if (!message.images?.length || message.role !== 'user') return { role: message.role, content: message.content };
  return { role: 'user', content: [{ type: 'text', text: message.content }, ...message.images.map((url) => ({ type: 'image_url' as const, image_url: { url } }))] };
}

/** A sent message with its text parts only (images are not counted locally), for token counting. */
function textOnly(message: OpenAI.Chat.ChatCompletionMessageParam): LlmMessage {
  const content = typeof message.content === 'string' ? message.content : (message.content ?? []).map((part) => ('text' in part ? part.text : '')).join('\n');
  return { role: message.role === 'user' || message.role === 'assistant' ? message.role : 'system', content };
}

/** One line for a provider failure: `timeout`, `429 Rate limit …`, `connection error: …`. */
function describeError(error: unknown): string {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return 'timeout';
  if (error instanceof OpenAI.APIConnectionError) return `connection error: ${error.message}`;
  if (error instanceof OpenAI.APIError) return error.message.slice(0, 300);
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}
