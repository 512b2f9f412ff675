import { AssistantSessionRepository, ModePrompts, sessionTokens, type AssistantSession, type TokenUsage } from '@kraken/assistant';
import { languageOf, type BotLanguage } from '@kraken/chat';
import { LlmService, ModelRegistry } from '@kraken/llm';
import type { RedisClient } from '@kraken/redis';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CLOCK, WORKER_REDIS, type Clock } from '../chat-worker.providers';
import type { LlmWorkerEnv } from '../llm-worker.env';

/** How long a pressed "rename" waits for the new title, in seconds. */
const RENAME_WAIT_SECONDS = 600;

/**
 * The assistant's session rules on top of AssistantSessionRepository: which session is current (one
 * is created on first use with CHAT_MODEL and the default mode), the idle rule (ASSISTANT_IDLE_HOURS),
 * the effective system prompt (the user's own, else the mode's preset in the user's language), token
 * usage against the model's window, and pending renames (Redis, `<prefix>:assistant:rename:<user>`).
 */
@Injectable()
export class AssistantSessions {
  private readonly idleMs: number;
  private readonly fallbackLanguage: BotLanguage;
  private readonly prefix: string;

  constructor(
    readonly repository: AssistantSessionRepository,
    private readonly registry: ModelRegistry,
    private readonly modes: ModePrompts,
    private readonly llm: LlmService,
    config: ConfigService<LlmWorkerEnv, true>,
    @Inject(WORKER_REDIS) private readonly redis: RedisClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.idleMs = config.get('ASSISTANT_IDLE_HOURS', { infer: true }) * 3_600_000;
    this.fallbackLanguage = config.get('BOT_LANGUAGE', { infer: true });
    this.prefix = config.get('QUEUE_PREFIX', { infer: true });
  }

  /** The user's language from Telegram's `language_code`, else BOT_LANGUAGE. */
  language(languageCode: string | undefined): BotLanguage {
    return languageOf(languageCode, this.fallbackLanguage);
  }

  /** Now, from the worker's clock. */
  now(): Date {
    return new Date(this.clock());
  }

  /** The user's current session, created (CHAT_MODEL, default mode) when they have none. @throws the database error */
  async current(userId: number): Promise<AssistantSession> {
    return (await this.repository.current(userId)) ?? this.repository.currentOrCreate(userId, { model: this.llm.modelFor('chat'), at: this.now() });
  }

  /**
   * The session a new message goes to: the current one, or — when that one has turns and was last
   * active more than ASSISTANT_IDLE_HOURS ago — a fresh one with the same model and mode.
   * @returns the session and, when a fresh one was started, the idle one. @throws the database error
   */
  async forMessage(userId: number): Promise<{ session: AssistantSession; idle?: AssistantSession }> {
    const session = await this.repository.current(userId);
    if (!session) return { session: await this.current(userId) };
    const idle = this.idleMs > 0 && this.clock() - session.lastActiveAt.getTime() > this.idleMs;
    if (!idle || (await this.repository.turnCount(session.id)) === 0) return { session };
    return { session: await this.startFresh(userId, session), idle: session };
  }

  /** Starts a new session for the user with the model and mode of `from` (else the defaults). @throws the database error */
  startFresh(userId: number, from: AssistantSession | null, title?: string): Promise<AssistantSession> {
    return this.repository.create(userId, { model: from?.model ?? this.llm.modelFor('chat'), mode: from?.mode, title, at: this.now() });
  }

  /** The system prompt a session's requests start with. */
  systemPrompt(session: AssistantSession, language: BotLanguage): string {
    return session.systemPrompt ?? this.modes.prompt(session.mode, language);
  }

  /** Tokens of the session (system prompt and turns, gpt-tokenizer) against its model's window. @throws the database error */
  async usage(session: AssistantSession, language: BotLanguage): Promise<TokenUsage> {
    const [spec, turns] = await Promise.all([this.registry.spec(session.model), this.repository.turns(session.id)]);
    const used = sessionTokens(this.systemPrompt(session, language), turns, session.model);
    return { used, window: spec.contextWindow, percent: (100 * used) / spec.contextWindow };
  }

  /** Remembers that the user's next message is the new title of session `sessionId`. @throws the Redis error */
  async awaitRename(userId: number, sessionId: string): Promise<void> {
    await this.redis.set(this.renameKey(userId), sessionId, 'EX', RENAME_WAIT_SECONDS);
  }

  /** The session waiting for a new title from the user, forgotten as it is read; null when none. @throws the Redis error */
  async takeRename(userId: number): Promise<string | null> {
    return this.redis.getdel(this.renameKey(userId));
  }

  private renameKey(userId: number): string {
    return `${this.prefix}:assistant:rename:${userId}`;
  }
}
