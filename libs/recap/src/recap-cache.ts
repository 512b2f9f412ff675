import type { RedisClient } from '@kraken/redis';
import type { RecapLanguage } from './chat-language';

/** A recap kept for the chat's interval. */
export interface CachedRecap {
  /** The recap as Telegram HTML. */
  html: string;
  /** When it was made, ms since the epoch. */
  at: number;
  language: RecapLanguage;
}

/**
 * One recap per chat (or forum topic) per interval, in Redis:
 * `<prefix>:recap:<chatId>:<topic id or "all">` holds the last recap for `ttlSeconds`
 * (RECAP_INTERVAL_SECONDS); `…:lock` is held while one is being made, so a burst of requests makes it once.
 * Recaps are summaries of what everyone in the chat can read, posted in the chat itself; a request
 * within the interval gets the same recap (its header names the window it covers).
 */
export class RecapCache {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  /** The chat's recap of this interval, or null. @throws the Redis error */
  async get(chatId: number, topicId?: number): Promise<CachedRecap | null> {
    if (this.ttlSeconds === 0) return null;
    const raw = await this.redis.get(this.key(chatId, topicId));
    return raw ? (JSON.parse(raw) as CachedRecap) : null;
  }

  /** Stores the chat's recap for the interval. @throws the Redis error */
  async set(chatId: number, topicId: number | undefined, recap: CachedRecap): Promise<void> {
    if (this.ttlSeconds === 0) return;
    await this.redis.set(this.key(chatId, topicId), JSON.stringify(recap), 'EX', this.ttlSeconds);
  }

  /**
   * Takes the chat's "recap in progress" lock for `seconds` on behalf of `owner`.
   * @returns true when taken (or already held by `owner`). @throws the Redis error
   */
  async lock(chatId: number, topicId: number | undefined, owner: string, seconds: number): Promise<boolean> {
    if (this.ttlSeconds === 0) return true;
    const key = `${this.key(chatId, topicId)}:lock`;
    if ((await this.redis.set(key, owner, 'EX', seconds, 'NX')) !== null) return true;
    return (await this.redis.get(key)) === owner;
  }

  /** Releases the lock if `owner` holds it. @throws the Redis error */
  async unlock(chatId: number, topicId: number | undefined, owner: string): Promise<void> {
    const key = `${this.key(chatId, topicId)}:lock`;
    if ((await this.redis.get(key)) === owner) await this.redis.del(key);
  }

  private key(chatId: number, topicId?: number): string {
    return `${this.prefix}:recap:${chatId}:${topicId ?? 'all'}`;
  }
}
