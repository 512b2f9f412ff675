import { redisConnection } from '@kraken/contracts';
import { Inject, Injectable, OnApplicationShutdown, type Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import IORedis, { type Redis, type RedisOptions } from 'ioredis';

/** Injection token of the gateway's knowledge Redis client (per-user limits, chats with a knowledge base). */
export const KNOWLEDGE_REDIS = Symbol('KNOWLEDGE_REDIS');

/** A fail-fast (producer) ioredis client from REDIS_URL, like the chat feature's. */
export const knowledgeRedisProvider: Provider = {
  provide: KNOWLEDGE_REDIS,
  inject: [ConfigService],
  useFactory: (config: ConfigService) => {
    const redis = new IORedis(redisConnection(config.getOrThrow<string>('REDIS_URL'), 'producer') as RedisOptions);
    redis.on('error', () => undefined); // surfaced by the failing command instead
    return redis;
  },
};

/** Closes the client at shutdown. */
@Injectable()
export class KnowledgeRedisCloser implements OnApplicationShutdown {
  constructor(@Inject(KNOWLEDGE_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
