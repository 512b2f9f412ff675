import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '@kraken/config';
import { KnowledgeQueueName, redisConnection } from '@kraken/contracts';
import { RedisClientsModule } from '@kraken/queue';
import { knowledgeRedisProvider } from './knowledge-redis.provider';
import { KnowledgeTriggerService } from './knowledge-trigger.service';
import { KnowledgeUpdate } from './knowledge.update';

/** The gateway's part of recaps and the knowledge base: trigger decisions and the `chat-knowledge` producer. */
@Module({
  imports: [
    RedisClientsModule,
    BullModule.registerQueueAsync({
      name: KnowledgeQueueName,
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnv, true>) => ({
        connection: redisConnection(config.get('REDIS_URL', { infer: true }), 'producer'),
        prefix: config.get('QUEUE_PREFIX', { infer: true }),
      }),
    }),
  ],
  providers: [knowledgeRedisProvider, KnowledgeTriggerService, KnowledgeUpdate],
})
export class KnowledgeGatewayModule {}
