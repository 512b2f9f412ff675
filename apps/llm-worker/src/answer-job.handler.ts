import { buildPrompt, chatKeys, contextEntryOf, ContextStore, splitAnswer, TELEGRAM_MESSAGE_LIMIT, type AllowedMentions, type ContextEntry } from '@kraken/chat';
import type { AnswerJob, MessageFact } from '@kraken/contracts';
import { LlmBudgetExceededError, LlmNotConfiguredError, LlmService, LlmUnavailableError } from '@kraken/llm';
import { botIdFromToken } from '@kraken/telegram';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { UnrecoverableError, type Job } from 'bullmq';
import type { RedisClient } from '@kraken/redis';
import { ChatNotices } from './chat-notices';
import { AnswerKnowledge } from './knowledge';
import { CLOCK, PERSONA, WORKER_REDIS, type Clock } from './chat-worker.providers';
import type { LlmWorkerEnv } from './llm-worker.env';
import { ReplySender, type ReplyTarget } from './reply-sender';

/** How long the answer text of a trigger is kept for retries of its job, in seconds (a day, like completed jobs). */
const ANSWER_TEXT_TTL_SECONDS = 24 * 3600;
/** Telegram shows `typing` for up to 5 s; it is renewed this often while the LLM works, in ms. */
const TYPING_EVERY_MS = 4500;

/** An answer as stored under its job id: the text and what the LLM call reported. */
interface StoredAnswer {
  text: string;
  meta: { promptTokens?: number; cached?: boolean; model?: string };
}

/** Reads a stored answer (JSON; a bare string is the text alone). */
function readStoredAnswer(raw: string | null): StoredAnswer | null {
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredAnswer>;
    if (typeof value.text === 'string') return { text: value.text, meta: value.meta ?? {} };
  } catch {
    // not JSON: a bare answer text
  }
  return { text: raw, meta: {} };
}

/** What an answer job returns (kept with the completed job). */
export type AnswerOutcome =
  | { sent: 'answer'; parts: number; messageIds: number[]; promptTokens?: number; cached?: boolean; model?: string }
  | { sent: 'not-configured' | 'over-budget' | 'nothing' };

/**
 * Executes `answer` jobs (the gateway already decided to answer): typing action → prompt (persona,
 * trigger, replied-to message, newest context within CHAT_PROMPT_BUDGET_TOKENS, and the chat's
 * knowledge-base excerpts or "say you do not know", see AnswerKnowledge) → LlmService (cache scoped to
 * the chat, providers, usage row keyed by the job id) → Markdown → Telegram HTML parts (no mention of
 * anyone but the asker) → replies through the outbox.
 *
 * A chat's outbox limit never holds a worker slot: while its reply parts wait in the outbox, the job
 * waits in BullMQ's waiting-children state, so one busy chat does not delay answers in other chats.
 *
 * Exactly one reply per trigger: the answer text is stored under the job id before anything is sent,
 * and the outbox job ids derive from the job id, so a job re-run after a crash sends the stored text
 * through the same outbox ids (already-sent parts are not sent again). When every provider fails:
 * one apology (rate limited) and UnrecoverableError (the job ends failed with the reasons, no retry).
 * Without a configured provider: the not-configured notice (once per chat per hour). Over an LLM
 * budget (LLM_BUDGET_*, checked by LlmService before any provider is called): no LLM call, one
 * notice per chat per day, and the job completes.
 */
@Injectable()
export class AnswerJobHandler {
  private readonly logger = new Logger(AnswerJobHandler.name);
  private readonly prefix: string;
  private readonly botId: number;
  /** The one name Kraken has in prompts (BOT_NAMES[0]): its own answers in the context carry it. */
  private readonly botName: string;

  constructor(
    private readonly llm: LlmService,
    private readonly context: ContextStore,
    private readonly sender: ReplySender,
    private readonly notices: ChatNotices,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
    @Inject(WORKER_REDIS) private readonly redis: RedisClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PERSONA) private readonly persona: string,
    private readonly knowledge: AnswerKnowledge,
  ) {
    this.prefix = config.get('QUEUE_PREFIX', { infer: true });
    this.botId = botIdFromToken(config.get('BOT_TOKEN', { infer: true }));
    this.botName = config.get('BOT_NAMES', { infer: true })[0];
  }

  /**
   * Answers one trigger, in steps: the first run asks the LLM and stores the answer; the parts are then
   * delivered through the outbox as children of this job (ReplySender.deliverParts), which waits for
   * them in BullMQ's waiting-children state instead of a worker slot; the last run remembers the sent
   * replies in the context.
   * @param token the job's lock token
   * @throws WaitingChildrenError while a part is on its way (not a failure)
   * @throws UnrecoverableError when every LLM provider failed, or when a part
   *   failed for good; other errors (Redis, PostgreSQL) are rethrown for BullMQ's bounded retries
   */
  async handle(data: AnswerJob, job: Job, token: string): Promise<AnswerOutcome> {
    const key = String(job.id);
    const target: ReplyTarget = { chatId: data.message.chat.id, messageId: data.message.messageId };
    const textKey = chatKeys.answerText(this.prefix, key);
    let stored = readStoredAnswer(await this.redis.get(textKey));
    if (stored === null) {
      if (!this.llm.isConfigured()) return this.notConfigured(target, key);
      const asked = await this.ask(data, target, key);
      if (asked === 'not-configured') return this.notConfigured(target, key);
      if (asked instanceof LlmBudgetExceededError) {
        await this.notices.overBudget(target, key, asked.refusal);
        return { sent: 'over-budget' };
      }
      stored = { text: this.knowledge.cite(asked.text, asked.citations), meta: { promptTokens: asked.promptTokens, cached: asked.cached, model: asked.model } };
      await this.redis.set(textKey, JSON.stringify(stored), 'EX', ANSWER_TEXT_TTL_SECONDS);
    }
    const sender = data.message.sender;
    const asker: AllowedMentions = sender?.kind === 'user' ? { userId: sender.id, username: sender.username } : {};
    const parts = splitAnswer(stored.text, TELEGRAM_MESSAGE_LIMIT, asker);
    if (parts.length === 0) return { sent: 'nothing' };
    const sent = await this.sender.deliverParts(job, token, target, parts, key);
    await this.rememberOwnReplies(data, sent.map((m, i) => ({ id: m.message_id, date: m.date, text: parts[i].plain })));
    return { sent: 'answer', parts: sent.length, messageIds: sent.map((m) => m.message_id), ...stored.meta };
  }

  /**
   * Builds the prompt and asks the LLM, showing `typing` meanwhile. @returns the answer,
   * `not-configured` when no provider is configured, or the budget refusal (no provider was called).
   */
  private async ask(data: AnswerJob, target: ReplyTarget, key: string) {
    const trigger = contextEntryOf(data.message);
    if (!trigger) throw new UnrecoverableError('the trigger is a service message');
    const replyTo = this.replyEntry(data.replyTo);
    let beat = 0;
    const typing = () => this.sender.typing(target, `${key}-typing-${beat++}`).catch((error: unknown) => this.logger.warn(`typing action not enqueued: ${String(error)}`));
    await typing();
    const timer = setInterval(() => void typing(), TYPING_EVERY_MS);
    try {
      const model = this.llm.modelFor('chat');
      const material = await this.knowledge.prepare(target.chatId, trigger.text, model);
      const prompt = await buildPrompt({
        persona: this.persona,
        trigger,
        replyTo,
        context: this.context.newestFirst(target.chatId),
        model,
        budgetTokens: this.config.get('CHAT_PROMPT_BUDGET_TOKENS', { infer: true }),
        messageMaxTokens: this.config.get('CHAT_MESSAGE_MAX_TOKENS', { infer: true }),
        tz: this.config.get('KRAKEN_TIMEZONE', { infer: true }),
        chatTitle: data.message.chat.title,
        knowledge: material.text,
        now: this.clock(),
      });
      const result = await this.llm.complete({
        role: 'chat',
        messages: prompt.messages,
        maxTokens: this.config.get('CHAT_ANSWER_MAX_TOKENS', { infer: true }),
        // A private chat's id is its person's: entries never serve anyone else (nor another group).
        cacheScope: `chat:${target.chatId}`,
        chatId: target.chatId,
        userId: data.message.sender?.kind === 'user' ? data.message.sender.id : undefined,
        purpose: `chat-${data.trigger}`,
        requestKey: key,
      });
      return { ...result, promptTokens: prompt.promptTokens, citations: material.citations };
    } catch (error) {
      if (error instanceof LlmNotConfiguredError) return 'not-configured' as const;
      if (error instanceof LlmBudgetExceededError) return error;
      if (error instanceof LlmUnavailableError) {
        await this.notices.apology(target, key);
        throw new UnrecoverableError(error.message.slice(0, 1000));
      }
      throw error;
    } finally {
      clearInterval(timer);
    }
  }

  /**
   * The replied-to message as a context entry. A reply to Kraken's own message names it as the
   * context does (BOT_NAMES[0]), not by its Telegram display name, so the model sees one Kraken.
   */
  private replyEntry(replyTo: MessageFact | undefined): ContextEntry | undefined {
    const entry = replyTo ? contextEntryOf(replyTo) : null;
    if (!entry) return undefined;
    return entry.senderId === this.botId ? { ...entry, sender: this.botName, isBot: true, own: true } : entry;
  }

  private async notConfigured(target: ReplyTarget, key: string): Promise<AnswerOutcome> {
    await this.notices.notConfigured(target, key);
    return { sent: 'not-configured' };
  }

  /** Kraken's replies join the chat's context, so follow-up questions see what it said. */
  private async rememberOwnReplies(data: AnswerJob, sent: Array<{ id: number; date: number; text: string }>): Promise<void> {
    for (const message of sent) {
      const entry: ContextEntry = { id: message.id, at: message.date * 1000, sender: this.botName, senderId: this.botId, isBot: true, own: true, kind: 'text', text: message.text, replyTo: data.message.messageId };
      await this.context.add(data.message.chat.id, entry);
    }
  }
}
