import { createRedis, redisTarget, type RedisClient } from '@kraken/redis';
import { Inject, Injectable, OnApplicationShutdown, type Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

/** Injection token of the gateway's Redis client for Kraken's own keys (rate limiters, policies, knowledge-base chats, admin cache). */
export const GATEWAY_REDIS = Symbol('GATEWAY_REDIS');

/**
 * A fail-fast (producer) client from REDIS_URL / REDIS_CLUSTER_NODES (createRedis): while Redis is
 * down, trigger decisions fail at once and the webhook answers 5xx, as for the stats enqueue.
 */
export const gatewayRedisProvider: Provider = {
  provide: GATEWAY_REDIS,
  inject: [ConfigService],
  useFactory: (config: ConfigService) => {
    const redis = createRedis(redisTarget(config), 'producer');
    redis.on('error', () => undefined); // surfaced by the failing command instead
    return redis;
  },
};

/** Closes the gateway Redis client at shutdown. */
@Injectable()
export class GatewayRedisCloser implements OnApplicationShutdown {
  constructor(@Inject(GATEWAY_REDIS) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
