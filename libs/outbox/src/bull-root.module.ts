import { BullModule } from '@nestjs/bullmq';
import { redisConnection, redisTarget } from '@kraken/redis';
import type { DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

/**
 * The shared BullMQ root module of a Kraken app: `BullModule.forRootAsync` with the connection from
 * REDIS_URL (via `redisConnection`) and the key prefix QUEUE_PREFIX, read from the global
 * ConfigService. Role `worker` (the default) suits every process that runs a BullMQ worker (the
 * connection retries forever, as BullMQ's blocking commands require); pass `producer` in processes
 * that only enqueue, so an enqueue fails fast while Redis is down instead of hanging.
 * @throws TypeError at start-up when REDIS_URL or QUEUE_PREFIX is absent from the configuration
 */
export function bullRootModule(role: 'worker' | 'producer' = 'worker'): DynamicModule {
  return BullModule.forRootAsync({
    inject: [ConfigService],
    useFactory: (config: ConfigService) => ({
      connection: redisConnection(redisTarget(config), role),
      prefix: config.getOrThrow<string>('QUEUE_PREFIX'),
    }),
  });
}
