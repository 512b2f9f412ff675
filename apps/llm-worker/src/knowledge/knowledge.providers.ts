import { PrismaService } from '@kraken/db';
import { createKnowledgeBase, KnowledgeBase } from '@kraken/kb';
import { LlmService, readLlmSettings } from '@kraken/llm';
import { RecapCache, RecapRepository, RecapService } from '@kraken/recap';
import type { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RedisClient } from '@kraken/redis';
import { WORKER_REDIS } from '../chat-worker.providers';
import type { LlmWorkerEnv } from '../llm-worker.env';

/** The llm-worker's knowledge base and recap service, built from its validated configuration. */
export const knowledgeProviders: Provider[] = [
  {
    provide: KnowledgeBase,
    inject: [PrismaService, ConfigService],
    useFactory: (prisma: PrismaService, config: ConfigService<LlmWorkerEnv, true>) =>
      createKnowledgeBase(prisma, kbSettings(config), readLlmSettings(process.env)),
  },
  {
    provide: RecapService,
    inject: [PrismaService, WORKER_REDIS, LlmService, ConfigService],
    useFactory: (prisma: PrismaService, redis: RedisClient, llm: LlmService, config: ConfigService<LlmWorkerEnv, true>) =>
      new RecapService(new RecapRepository(prisma), new RecapCache(redis, config.get('QUEUE_PREFIX', { infer: true }), config.get('RECAP_INTERVAL_SECONDS', { infer: true })), llm, {
        defaultHours: config.get('RECAP_DEFAULT_HOURS', { infer: true }),
        maxHours: config.get('RECAP_MAX_HOURS', { infer: true }),
        maxMessages: config.get('RECAP_MAX_MESSAGES', { infer: true }),
        budgetTokens: config.get('RECAP_PROMPT_BUDGET_TOKENS', { infer: true }),
        maxTokens: config.get('RECAP_MAX_TOKENS', { infer: true }),
        messageMaxTokens: config.get('RECAP_MESSAGE_MAX_TOKENS', { infer: true }),
        maxCalls: config.get('RECAP_MAX_CALLS', { infer: true }),
        tz: config.get('KRAKEN_TIMEZONE', { infer: true }),
        fallbackLanguage: config.get('BOT_LANGUAGE', { infer: true }),
      }),
  },
];

function kbSettings(config: ConfigService<LlmWorkerEnv, true>) {
  return {
    KB_CHUNK_TOKENS: config.get('KB_CHUNK_TOKENS', { infer: true }),
    KB_MIN_SCORE: config.get('KB_MIN_SCORE', { infer: true }),
    KB_STRONG_SCORE: config.get('KB_STRONG_SCORE', { infer: true }),
    KB_TOP_K: config.get('KB_TOP_K', { infer: true }),
    KB_PROMPT_TOKENS: config.get('KB_PROMPT_TOKENS', { infer: true }),
    KB_MAX_FILE_MB: config.get('KB_MAX_FILE_MB', { infer: true }),
    KB_EMBEDDINGS_MODEL: config.get('KB_EMBEDDINGS_MODEL', { infer: true }),
    KB_MIN_SIMILARITY: config.get('KB_MIN_SIMILARITY', { infer: true }),
    KB_ADMIN_IDS: config.get('KB_ADMIN_IDS', { infer: true }),
  };
}
