import { BullModule } from '@nestjs/bullmq';
import { redisConnection, redisTarget } from '@kraken/redis';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '@kraken/config';
import { AdminChangesUpdate } from './admin-changes.update';
import { CHAT_QUEUES } from './chat-queues';
import { RedisClientsModule } from '@kraken/queue';
import { gatewayRedisProvider } from '../gateway-redis.provider';
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
        connection: redisConnection(redisTarget(config), 'producer'),
        prefix: config.get('QUEUE_PREFIX', { infer: true }),
      }),
    }),
    ),
  ],
  providers: [gatewayRedisProvider, ChatTriggerService, ChatUpdate, AdminChangesUpdate],
})
export class ChatGatewayModule {}
