import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '@kraken/config';
import { DigestQueueName, redisConnection } from '@kraken/contracts';
import { RedisClientsModule } from '@kraken/queue';
import { chatRedisProvider } from '../chat/chat-redis.provider';
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
        connection: redisConnection(config.get('REDIS_URL', { infer: true }), 'producer'),
        prefix: config.get('QUEUE_PREFIX', { infer: true }),
      }),
    }),
  ],
  // Its own fail-fast Redis client (hint markers): a module providing the chat's would reorder handlers.
  providers: [chatRedisProvider, MemesUpdate],
})
export class MemesGatewayModule {}
