import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** What the cache keeps of an answer (tokens and cost are not repeated: a hit costs nothing). */
export interface CachedCompletion {
  text: string;
  model: string;
  provider: string;
}

/**
 * The completion cache in Redis: `<prefix>:llm:cache:<sha256(model + "\0" + cacheKey)>` holds the
 * answer as JSON for `ttlSeconds` (LLM_CACHE_TTL_SECONDS; 0 disables it).
 */
export class CompletionCache {
  /**
   * @param redis an ioredis client owned by the caller
   * @param prefix key prefix (QUEUE_PREFIX), so deployments sharing a Redis stay apart
   */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  /** The stored answer for (model, cacheKey), or null. @throws the Redis error. */
  async get(model: string, cacheKey: string): Promise<CachedCompletion | null> {
    if (this.ttlSeconds === 0) return null;
    const raw = await this.redis.get(this.key(model, cacheKey));
    return raw === null ? null : (JSON.parse(raw) as CachedCompletion);
  }

  /** Stores an answer for (model, cacheKey). @throws the Redis error. */
  async set(model: string, cacheKey: string, value: CachedCompletion): Promise<void> {
    if (this.ttlSeconds === 0) return;
    await this.redis.set(this.key(model, cacheKey), JSON.stringify(value), 'EX', this.ttlSeconds);
  }

  private key(model: string, cacheKey: string): string {
    return `${this.prefix}:llm:cache:${createHash('sha256').update(`${model}\0${cacheKey}`).digest('hex')}`;
  }
}
