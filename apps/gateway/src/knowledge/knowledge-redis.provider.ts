import { redisClientProvider } from '@kraken/queue';

/** Injection token of the gateway's knowledge Redis client (per-user limits, chats with a knowledge base). */
export const KNOWLEDGE_REDIS = Symbol('KNOWLEDGE_REDIS');

/** A fail-fast (producer) ioredis client from REDIS_URL, like the chat feature's; closed at shutdown by RedisClients. */
export const knowledgeRedisProvider = redisClientProvider(KNOWLEDGE_REDIS, 'producer');
