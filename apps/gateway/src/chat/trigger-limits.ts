import { chatKeys, type LimiterKind } from '@kraken/chat';
import type { ChatTriggerEnv } from '@kraken/config';
import type { RedisClient } from '@kraken/redis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** The result of taking one point: allowed, or refused with whether this is the window's first refusal. */
export type LimitResult = { ok: true } | { ok: false; firstRefusal: boolean; msBeforeNext: number };

/**
 * The gateway's flood limits, fixed windows in Redis (rate-limiter-flexible), shared by every gateway:
 * - `user`: CHAT_USER_LIMIT triggers per CHAT_USER_WINDOW_SECONDS per user per group (key `<chat>:<user>`);
 * - `user-private`: CHAT_PRIVATE_USER_LIMIT per CHAT_PRIVATE_USER_WINDOW_SECONDS in a private chat;
 * - `question-cooldown`: one answered unaddressed question per CHAT_QUESTION_COOLDOWN_SECONDS per chat;
 * - `chat-hour`: CHAT_ANSWERS_PER_HOUR answers per chat per hour.
 * A limit set to 0 (cooldown, answers per hour) is off. Refused takes still count, so the first
 * refusal of a window is known exactly (consumed = points + 1) and can be told once.
 */
export class TriggerLimits {
  private readonly limiters = new Map<LimiterKind, RateLimiterRedis>();

  constructor(
    redis: RedisClient,
    prefix: string,
    env: Pick<
      ChatTriggerEnv,
      'CHAT_USER_LIMIT' | 'CHAT_USER_WINDOW_SECONDS' | 'CHAT_PRIVATE_USER_LIMIT' | 'CHAT_PRIVATE_USER_WINDOW_SECONDS' | 'CHAT_QUESTION_COOLDOWN_SECONDS' | 'CHAT_ANSWERS_PER_HOUR'
    >,
  ) {
    const add = (kind: LimiterKind, points: number, duration: number) => {
      if (points > 0) this.limiters.set(kind, new RateLimiterRedis({ storeClient: redis, keyPrefix: chatKeys.rateLimiter(prefix, kind), points, duration }));
    };
    add('user', env.CHAT_USER_LIMIT, env.CHAT_USER_WINDOW_SECONDS);
    add('user-private', env.CHAT_PRIVATE_USER_LIMIT, env.CHAT_PRIVATE_USER_WINDOW_SECONDS);
    if (env.CHAT_QUESTION_COOLDOWN_SECONDS > 0) add('question-cooldown', 1, env.CHAT_QUESTION_COOLDOWN_SECONDS);
    add('chat-hour', env.CHAT_ANSWERS_PER_HOUR, 3600);
  }

  /** Takes one point of `kind` for `key` (always allowed when that limit is off). @throws the Redis error */
  async take(kind: LimiterKind, key: string): Promise<LimitResult> {
    const limiter = this.limiters.get(kind);
    if (!limiter) return { ok: true };
    try {
      await limiter.consume(key, 1);
      return { ok: true };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { ok: false, firstRefusal: rejection.consumedPoints === limiter.points + 1, msBeforeNext: rejection.msBeforeNext };
    }
  }

  /**
   * Gives back one point of `kind` for `key` (a delayed answer that was cancelled), only while the
   * window that point was taken in still holds points, so a new window never starts with extra ones.
   * @throws the Redis error
   */
  async refund(kind: LimiterKind, key: string): Promise<void> {
    const limiter = this.limiters.get(kind);
    if (!limiter) return;
    const state = await limiter.get(key);
    if (state && state.consumedPoints > 0) await limiter.reward(key, 1);
  }
}
