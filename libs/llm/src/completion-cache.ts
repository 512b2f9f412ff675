import { createHash } from 'node:crypto';
import type { RedisClient } from '@kraken/redis';

/** What the cache keeps of an answer (tokens and cost are not repeated: a hit costs nothing). */
export interface CachedCompletion {
  text: string;
  model: string;
  provider: string;
}

/**
 * Everything one chat-completions call sends to the model: the provider it goes to and the exact
 * request body (model, messages, max_tokens, temperature …, as passed to the `openai` SDK).
 */
export interface CompletionIdentity {
  /** Caller's sharing scope (LlmRequest.cacheScope), e.g. `chat:<id>`: entries never cross scopes. */
  scope: string;
  /** Provider name from LLM_PROVIDERS. */
  provider: string;
  /** The provider's API base URL. */
  baseUrl: string;
  /** The request body exactly as sent. */
  body: unknown;
}

/**
 * The completion cache in Redis: `<prefix>:llm:cache:<key>` holds an answer as JSON for `ttlSeconds`
 * (LLM_CACHE_TTL_SECONDS; 0 disables it). The key (CompletionCache.keyOf) is the SHA-256 of the
 * whole request as sent plus its scope, so a hit is only ever a byte-identical request in the same
 * scope: another asker, chat, persona, model, parameter or a single changed character misses.
 */
export class CompletionCache {
  /**
   * @param redis an ioredis client owned by the caller
   * @param prefix key prefix (QUEUE_PREFIX), so deployments sharing a Redis stay apart
   */
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  /**
   * The cache key of one request: hex SHA-256 of the JSON of scope, provider, base URL and body.
   * JSON keeps every string's boundaries, so no two different requests serialise alike.
   */
  static keyOf(identity: CompletionIdentity): string {
    return createHash('sha256').update(JSON.stringify([identity.scope, identity.provider, identity.baseUrl, identity.body])).digest('hex');
  }

  /**
   * The stored answer of the first of `keys` that has one (one MGET), or null.
   * @throws the Redis error
   */
  async getFirst(keys: readonly string[]): Promise<CachedCompletion | null> {
    if (this.ttlSeconds === 0 || keys.length === 0) return null;
    const values = await this.redis.mget(keys.map((key) => this.redisKey(key)));
    const raw = values.find((value) => value !== null);
    return raw ? (JSON.parse(raw) as CachedCompletion) : null;
  }

  /** Stores an answer under `key` (from keyOf) for the TTL. @throws the Redis error */
  async set(key: string, value: CachedCompletion): Promise<void> {
    if (this.ttlSeconds === 0) return;
    await this.redis.set(this.redisKey(key), JSON.stringify(value), 'EX', this.ttlSeconds);
  }

  private redisKey(key: string): string {
    return `${this.prefix}:llm:cache:${key}`;
  }
}
