import { Module } from '@nestjs/common';
import { KnowledgeRedisCloser, knowledgeRedisProvider } from './knowledge-redis.provider';
import { KnowledgeTriggerService } from './knowledge-trigger.service';
import { KnowledgeUpdate } from './knowledge.update';

/** The gateway's part of recaps and the knowledge base: trigger decisions (their `chat-knowledge` jobs go out with the update's other jobs, UpdateJobsFlusher). */
@Module({
  providers: [knowledgeRedisProvider, KnowledgeRedisCloser, KnowledgeTriggerService, KnowledgeUpdate],
})
export class KnowledgeGatewayModule {}
