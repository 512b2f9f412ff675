import { BullModule } from '@nestjs/bullmq';
import { redisConnection, redisTarget } from '@kraken/redis';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '@kraken/config';
import { QueueName } from '@kraken/contracts';
import { RedisClientsModule } from '@kraken/queue';
import { gatewayRedisProvider } from '../gateway-redis.provider';
import { AdminChangesUpdate } from './admin-changes.update';
import { AssistantCallbackUpdate } from './assistant-callback.update';
import { ChatTriggerService } from './chat-trigger.service';
import { ChatUpdate } from './chat.update';

/**
 * The gateway's part of the chat feature: trigger decisions (their `chat-answers` and `chat-context`
 * jobs go out with the update's other jobs, UpdateJobsFlusher), the `chat-answers` queue on a
 * fail-fast producer connection (reading and removing a waiting quiet answer), and the admin-cache
 * invalidation on `chat_member` updates (AdminChangesUpdate). Private chats go to the private assistant
 * (`assistant` jobs: ChatTriggerService for messages, AssistantCallbackUpdate for its buttons).
 */
@Module({
  imports: [
    RedisClientsModule,
    BullModule.registerQueueAsync({
      name: QueueName.ChatAnswers,
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnv, true>) => ({
        connection: redisConnection(redisTarget(config), 'producer'),
        prefix: config.get('QUEUE_PREFIX', { infer: true }),
      }),
    }),
  ],
  providers: [gatewayRedisProvider, ChatTriggerService, ChatUpdate, AdminChangesUpdate, AssistantCallbackUpdate],
})
export class ChatGatewayModule {}
