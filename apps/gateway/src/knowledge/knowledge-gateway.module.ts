import { BullModule } from '@nestjs/bullmq';
import { redisConnection, redisTarget } from '@kraken/redis';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '@kraken/config';
import { KnowledgeQueueName } from '@kraken/contracts';
import { RedisClientsModule } from '@kraken/queue';
import { gatewayRedisProvider } from '../gateway-redis.provider';
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
        connection: redisConnection(redisTarget(config), 'producer'),
        prefix: config.get('QUEUE_PREFIX', { infer: true }),
      }),
    }),
  ],
  providers: [gatewayRedisProvider, KnowledgeTriggerService, KnowledgeUpdate],
})
export class KnowledgeGatewayModule {}
