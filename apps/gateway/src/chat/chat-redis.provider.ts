import { redisClientProvider } from '@kraken/queue';

/** Injection token of the gateway's chat Redis client (rate limiters, question policies). */
export const CHAT_REDIS = Symbol('CHAT_REDIS');

/**
 * A fail-fast (producer) ioredis client from REDIS_URL: while Redis is down, trigger decisions fail
 * at once and the webhook answers 5xx, as for the stats enqueue. Closed at shutdown by RedisClients.
 */
export const chatRedisProvider = redisClientProvider(CHAT_REDIS, 'producer');
