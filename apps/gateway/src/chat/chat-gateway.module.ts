import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '@kraken/config';
import { ChatQueueName, redisConnection } from '@kraken/contracts';
import { AdminChangesUpdate } from './admin-changes.update';
import { ChatRedisCloser, chatRedisProvider } from './chat-redis.provider';
import { ChatTriggerService } from './chat-trigger.service';
import { ChatUpdate } from './chat.update';

/**
 * The gateway's part of the chat feature: trigger decisions (their `chat-answers` and `chat-context`
 * jobs go out with the update's other jobs, UpdateJobsFlusher), the `chat-answers` queue on a
 * fail-fast producer connection (reading and removing a waiting quiet answer), and the admin-cache
 * invalidation on `chat_member` updates (AdminChangesUpdate).
 */
@Module({
  imports: [
    BullModule.registerQueueAsync({
      name: ChatQueueName.Answers,
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnv, true>) => ({
        connection: redisConnection(config.get('REDIS_URL', { infer: true }), 'producer'),
        prefix: config.get('QUEUE_PREFIX', { infer: true }),
      }),
    }),
  ],
  providers: [chatRedisProvider, ChatRedisCloser, ChatTriggerService, ChatUpdate, AdminChangesUpdate],
})
export class ChatGatewayModule {}
