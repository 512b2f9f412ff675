import { redisClientProvider } from '@kraken/queue';

/** Injection token of the gateway's Redis client for Kraken's own keys (rate limiters, policies, knowledge-base chats, admin cache). */
export const GATEWAY_REDIS = Symbol('GATEWAY_REDIS');

/**
 * A fail-fast (producer) client from REDIS_URL / REDIS_CLUSTER_NODES (createRedis): while Redis is
 * down, trigger decisions fail at once and the webhook answers 5xx, as for the stats enqueue. Closed
 * at shutdown by RedisClients (the module listing it imports RedisClientsModule).
 * With ioredis auto-pipelining: the commands the handlers of concurrent updates send in one
 * event-loop turn (such as every group message's quiet-question lookup) leave in one socket write
 * instead of one each; order and answers are unchanged.
 */
export const gatewayRedisProvider = redisClientProvider(GATEWAY_REDIS, 'producer', { enableAutoPipelining: true });
