import { BullModule } from '@nestjs/bullmq';
import { redisConnection, redisTarget } from '@kraken/redis';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '@kraken/config';
import { DigestQueueName } from '@kraken/contracts';
import { RedisClientsModule } from '@kraken/queue';
import { gatewayRedisProvider } from '../gateway-redis.provider';
import { MemesUpdate } from './memes.update';

/**
 * The gateway's part of the meme flow: reads submissions, moderation presses and `/reject` replies and
 * enqueues them on the `memes` queue (fail-fast producer connection, like the stats queue's) for the
 * digest-worker, which does every check and all database work.
 */
@Module({
  imports: [
    RedisClientsModule,
    BullModule.registerQueueAsync({
      name: DigestQueueName.Memes,
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnv, true>) => ({
        connection: redisConnection(redisTarget(config), 'producer'),
        prefix: config.get('QUEUE_PREFIX', { infer: true }),
      }),
    }),
  ],
  // Its own fail-fast Redis client (hint markers): a module providing the chat's would reorder handlers.
  providers: [gatewayRedisProvider, MemesUpdate],
})
export class MemesGatewayModule {}
