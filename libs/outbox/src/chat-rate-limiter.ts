import type { RedisClient } from '@kraken/redis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { chatLimiterKeyPrefix } from './outbox-keys';

/** Per-chat message limits (Telegram: about 1 message/s per chat, at most 20/min per group). */
export interface ChatLimits {
  /** Messages per second to one chat (OUTBOX_CHAT_PER_SECOND). */
  chatPerSecond: number;
  /** Messages per minute to one group, supergroup or channel (OUTBOX_GROUP_PER_MINUTE). */
  groupPerMinute: number;
}

/**
 * Extra wait per slot position, in ms, so that a job scheduled for the end of a limiter window wakes
 * just after the window's key expired rather than a few ms before it (and is not held again).
 */
export const SLOT_MARGIN_MS = 50;

/**
 * True for chats the per-group limit applies to: negative ids (groups, supergroups, channels; users
 * have positive ids, https://core.telegram.org/bots/api#chat) and `@username` strings, which the Bot
 * API accepts for supergroups and channels only.
 */
export function isGroupChat(chatId: number | string): boolean {
  if (typeof chatId === 'number') return chatId < 0;
  return chatId.startsWith('@') || chatId.startsWith('-');
}

/**
 * Telegram's per-chat limits for outgoing messages
 * (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this), kept in Redis
 * with rate-limiter-flexible so that every worker process shares them. Two fixed-window limiters:
 * `chatPerSecond` per 1 s for every chat, and `groupPerMinute` per 60 s for groups. Keys:
 * `<prefix>:outbox:rl:chat-second:<chatId>` and `<prefix>:outbox:rl:group-minute:<chatId>`.
 */
export class ChatRateLimiter {
  private readonly perChat: RateLimiterRedis;
  private readonly perGroup: RateLimiterRedis;

  /**
   * @param redis a dedicated ioredis client (the caller owns and closes it)
   * @param prefix the outbox queue's BullMQ prefix
   */
  constructor(redis: RedisClient, prefix: string, limits: ChatLimits) {
    this.perChat = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: chatLimiterKeyPrefix(prefix, 'chat-second'),
      points: limits.chatPerSecond,
      duration: 1,
    });
    this.perGroup = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: chatLimiterKeyPrefix(prefix, 'group-minute'),
      points: limits.groupPerMinute,
      duration: 60,
    });
  }

  /**
   * Takes one message slot for `chatId` now, or says how long to wait.
   * @returns 0 when the message may be sent now (the slot is taken), else the delay in ms after which
   *   the job should ask again. The delay places the job behind the jobs of the same chat held back
   *   earlier in the same window: the k-th job over the limit waits until the window ends plus
   *   floor((k-1) / points) whole windows (plus SLOT_MARGIN_MS per window), so a burst is released
   *   roughly in order and at the allowed pace instead of all waking at once.
   * @throws the Redis error when Redis cannot be reached (the job then retries with back-off)
   */
  async reserve(chatId: number | string): Promise<number> {
    const key = String(chatId);
    const chatWait = await this.tryConsume(this.perChat, key);
    if (chatWait > 0 || !isGroupChat(chatId)) return chatWait;
    // A group-held message keeps its per-second slot: every message to that group waits for the
    // minute window anyway, and giving the slot back could race with the window's expiry.
    return this.tryConsume(this.perGroup, key);
  }

  /**
   * Holds every message to `chatId` for `ms` (after a 429 for this chat): the chat's per-second window
   * is marked full and set to expire after `ms`, rounded up to whole seconds.
   */
  async pause(chatId: number | string, ms: number): Promise<void> {
    await this.perChat.set(String(chatId), this.perChat.points, Math.max(1, Math.ceil(ms / 1000)));
  }

  private async tryConsume(limiter: RateLimiterRedis, key: string): Promise<number> {
    try {
      await limiter.consume(key, 1);
      return 0;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const position = Math.max(1, rejection.consumedPoints - limiter.points);
      const windowsAhead = Math.floor((position - 1) / limiter.points);
      return Math.max(1, rejection.msBeforeNext) + windowsAhead * limiter.duration * 1000 + (windowsAhead + 1) * SLOT_MARGIN_MS;
    }
  }
}
