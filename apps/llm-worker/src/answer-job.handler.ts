import { botNamePattern, buildPrompt, chatKeys, contextEntryOf, ContextStore, splitAnswer, type ContextEntry } from '@kraken/chat';
import { AnswerJobSchema, type AnswerJob } from '@kraken/contracts';
import { LlmNotConfiguredError, LlmService, LlmUnavailableError } from '@kraken/llm';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { ChatNotices } from './chat-notices';
import { CLOCK, PERSONA, WORKER_REDIS, type Clock } from './chat-worker.providers';
import type { LlmWorkerEnv } from './llm-worker.env';
import { ReplySender, type ReplyTarget } from './reply-sender';

/** How long the answer text of a trigger is kept for retries of its job, in seconds (a day, like completed jobs). */
const ANSWER_TEXT_TTL_SECONDS = 24 * 3600;
/** Telegram shows `typing` for up to 5 s; it is renewed this often while the LLM works, in ms. */
const TYPING_EVERY_MS = 4500;

/** What an answer job returns (kept with the completed job). */
export type AnswerOutcome =
  | { sent: 'answer'; parts: number; messageIds: number[]; promptTokens?: number; cached?: boolean; model?: string }
  | { sent: 'not-configured' | 'nothing' };

/**
 * Executes `answer` jobs (the gateway already decided to answer): typing action → prompt (persona,
 * trigger, replied-to message, newest context within CHAT_PROMPT_BUDGET_TOKENS) → LlmService (cache,
 * providers, usage row keyed by the job id) → Markdown → Telegram HTML parts → replies through the outbox.
 *
 * Exactly one reply per trigger: the answer text is stored under the job id before anything is sent,
 * and the outbox job ids derive from the job id, so a job re-run after a crash sends the stored text
 * through the same outbox ids (already-sent parts are not sent again). When every provider fails:
 * one apology (rate limited) and UnrecoverableError (the job ends failed with the reasons, no retry).
 * Without a configured provider: the not-configured notice (once per chat per hour).
 */
@Injectable()
export class AnswerJobHandler {
  private readonly logger = new Logger(AnswerJobHandler.name);
  private readonly names: RegExp;
  private readonly prefix: string;

  constructor(
    private readonly llm: LlmService,
    private readonly context: ContextStore,
    private readonly sender: ReplySender,
    private readonly notices: ChatNotices,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
    @Inject(WORKER_REDIS) private readonly redis: Redis,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PERSONA) private readonly persona: string,
  ) {
    this.names = botNamePattern(config.get('BOT_NAMES', { infer: true }));
    this.prefix = config.get('QUEUE_PREFIX', { infer: true });
  }

  /**
   * Answers one trigger.
   * @throws UnrecoverableError for an invalid payload or when every LLM provider failed; other errors
   *   (Redis, outbox timeouts) are rethrown for BullMQ's bounded retries; the abort reason when
   *   `signal` (JobRun.signal: the job was handed back at shutdown) aborts while the parts are sent
   */
  async handle(job: Job, signal?: AbortSignal): Promise<AnswerOutcome> {
    const parsed = AnswerJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid answer payload: ${parsed.error.message.slice(0, 300)}`);
    const data = parsed.data;
    const key = String(job.id);
    const target: ReplyTarget = { chatId: data.message.chat.id, messageId: data.message.messageId };
    const textKey = chatKeys.answerText(this.prefix, key);

    let answer = await this.redis.get(textKey);
    let meta: Partial<Extract<AnswerOutcome, { sent: 'answer' }>> = {};
    if (answer === null) {
      if (!this.llm.isConfigured()) return this.notConfigured(target, key);
      const asked = await this.ask(data, target, key);
      if (!asked) return this.notConfigured(target, key);
      answer = asked.text;
      meta = { promptTokens: asked.promptTokens, cached: asked.cached, model: asked.model };
      await this.redis.set(textKey, answer, 'EX', ANSWER_TEXT_TTL_SECONDS);
    }
    const parts = splitAnswer(answer);
    if (parts.length === 0) return { sent: 'nothing' };
    const sent = await this.sender.sendParts(target, parts, key, signal);
    await this.rememberOwnReplies(data, sent.map((m, i) => ({ id: m.message_id, date: m.date, text: parts[i].plain })));
    return { sent: 'answer', parts: sent.length, messageIds: sent.map((m) => m.message_id), ...meta };
  }

  /** Builds the prompt and asks the LLM, showing `typing` meanwhile. Null when no provider is configured. */
  private async ask(data: AnswerJob, target: ReplyTarget, key: string) {
    const trigger = contextEntryOf(data.message);
    if (!trigger) throw new UnrecoverableError('the trigger is a service message');
    const replyTo = data.replyTo ? (contextEntryOf(data.replyTo) ?? undefined) : undefined;
    let beat = 0;
    const typing = () => this.sender.typing(target, `${key}-typing-${beat++}`).catch((error: unknown) => this.logger.warn(`typing action not enqueued: ${String(error)}`));
    await typing();
    const timer = setInterval(() => void typing(), TYPING_EVERY_MS);
    try {
      const model = this.llm.modelFor('chat');
      const prompt = await buildPrompt({
        persona: this.persona,
        trigger,
        replyTo,
        context: this.context.newestFirst(target.chatId),
        model,
        budgetTokens: this.config.get('CHAT_PROMPT_BUDGET_TOKENS', { infer: true }),
        messageMaxTokens: this.config.get('CHAT_MESSAGE_MAX_TOKENS', { infer: true }),
        tz: this.config.get('KRAKEN_TIMEZONE', { infer: true }),
        names: this.names,
        chatTitle: data.message.chat.title,
        now: this.clock(),
      });
      const result = await this.llm.complete({
        role: 'chat',
        messages: prompt.messages,
        maxTokens: this.config.get('CHAT_ANSWER_MAX_TOKENS', { infer: true }),
        cacheKey: prompt.cacheKey,
        chatId: target.chatId,
        userId: data.message.sender?.kind === 'user' ? data.message.sender.id : undefined,
        purpose: `chat-${data.trigger}`,
        requestKey: key,
      });
      return { ...result, promptTokens: prompt.promptTokens };
    } catch (error) {
      if (error instanceof LlmNotConfiguredError) return null;
      if (error instanceof LlmUnavailableError) {
        await this.notices.apology(target, key);
        throw new UnrecoverableError(error.message.slice(0, 1000));
      }
      throw error;
    } finally {
      clearInterval(timer);
    }
  }

  private async notConfigured(target: ReplyTarget, key: string): Promise<AnswerOutcome> {
    await this.notices.notConfigured(target, key);
    return { sent: 'not-configured' };
  }

  /** Kraken's replies join the chat's context, so follow-up questions see what it said. */
  private async rememberOwnReplies(data: AnswerJob, sent: Array<{ id: number; date: number; text: string }>): Promise<void> {
    const name = this.config.get('BOT_NAMES', { infer: true })[0];
    for (const message of sent) {
      const entry: ContextEntry = { id: message.id, at: message.date * 1000, sender: name, isBot: true, kind: 'text', text: message.text, replyTo: data.message.messageId };
      await this.context.add(data.message.chat.id, entry);
    }
  }
}
