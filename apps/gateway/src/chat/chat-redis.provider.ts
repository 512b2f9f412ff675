import { redisConnection } from '@kraken/contracts';
import { Inject, Injectable, OnApplicationShutdown, type Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import IORedis, { type Redis, type RedisOptions } from 'ioredis';

/** Injection token of the gateway's chat Redis client (rate limiters, question policies). */
export const CHAT_REDIS = Symbol('CHAT_REDIS');

/**
 * A fail-fast (producer) ioredis client from REDIS_URL: while Redis is down, trigger decisions fail
 * at once and the webhook answers 5xx, as for the stats enqueue.
 */
export const chatRedisProvider: Provider = {
  provide: CHAT_REDIS,
  inject: [ConfigService],
  useFactory: (config: ConfigService) => {
    const redis = new IORedis(redisConnection(config.getOrThrow<string>('REDIS_URL'), 'producer') as RedisOptions);
    redis.on('error', () => undefined); // surfaced by the failing command instead
    return redis;
  },
};

/** Closes the chat Redis client at shutdown. */
@Injectable()
export class ChatRedisCloser implements OnApplicationShutdown {
  constructor(@Inject(CHAT_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
