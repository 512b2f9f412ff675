import { kbKeys } from '@kraken/contracts';
import { KnowledgeBase } from '@kraken/kb';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RedisClient } from '@kraken/redis';
import { WORKER_REDIS } from '../chat-worker.providers';
import type { LlmWorkerEnv } from '../llm-worker.env';

/** Mirrors "which chats have a knowledge base" from PostgreSQL to Redis (kbKeys.chats) for the gateway. */
@Injectable()
export class KbChats {
  constructor(
    private readonly kb: KnowledgeBase,
    @Inject(WORKER_REDIS) private readonly redis: RedisClient,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
  ) {}

  /** Rewrites the set in one transaction. @returns how many entries it holds. @throws database/Redis errors */
  async sync(): Promise<number> {
    const chats = await this.kb.repository.chatsWithDocuments();
    const key = kbKeys.chats(this.config.get('QUEUE_PREFIX', { infer: true }));
    const multi = this.redis.multi().del(key);
    if (chats.length) multi.sadd(key, ...chats);
    await multi.exec();
    return chats.length;
  }
}
