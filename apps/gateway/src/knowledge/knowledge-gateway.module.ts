import { Module } from '@nestjs/common';
import { RedisClientsModule } from '@kraken/queue';
import { gatewayRedisProvider } from '../gateway-redis.provider';
import { KnowledgeTriggerService } from './knowledge-trigger.service';
import { KnowledgeUpdate } from './knowledge.update';

/** The gateway's part of recaps and the knowledge base: trigger decisions (their `chat-knowledge` jobs go out with the update's other jobs, UpdateJobsFlusher). */
@Module({
  imports: [RedisClientsModule],
  providers: [gatewayRedisProvider, KnowledgeTriggerService, KnowledgeUpdate],
})
export class KnowledgeGatewayModule {}
