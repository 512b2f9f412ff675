import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '@kraken/config';
import { redisConnection } from '@kraken/contracts';
import { AdminChangesUpdate } from './admin-changes.update';
import { CHAT_QUEUES } from './chat-queues';
import { RedisClientsModule } from '@kraken/queue';
import { chatRedisProvider } from './chat-redis.provider';
import { ChatTriggerService } from './chat-trigger.service';
import { ChatUpdate } from './chat.update';

/**
 * The gateway's part of the chat feature: trigger decisions, the producers of the `chat-answers` and
 * `chat-context` queues (fail-fast producer connections, like the stats queue's), and the admin-cache
 * invalidation on `chat_member` updates (AdminChangesUpdate).
 */
@Module({
  imports: [
    RedisClientsModule,
    ...CHAT_QUEUES.map((name) =>
    BullModule.registerQueueAsync({
      name,
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnv, true>) => ({
        connection: redisConnection(config.get('REDIS_URL', { infer: true }), 'producer'),
        prefix: config.get('QUEUE_PREFIX', { infer: true }),
      }),
    }),
    ),
  ],
  providers: [chatRedisProvider, ChatTriggerService, ChatUpdate, AdminChangesUpdate],
})
export class ChatGatewayModule {}
