import { PrismaService } from '@kraken/db';
import { DigestComposer, DigestStore, loadDigestPrompt } from '@kraken/digest';
import { LlmService } from '@kraken/llm';
import { MemeStore } from '@kraken/memes';
import { ChatAdmins, OutboxService } from '@kraken/outbox';
import { redisClientProvider } from '@kraken/queue';
import type { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RedisClient } from '@kraken/redis';
import type { DigestWorkerEnv } from './digest-worker.env';

/** Injection token of the worker's Redis client (the admin cache). */
export const DIGEST_REDIS = Symbol('DIGEST_REDIS');

/**
 * The worker's providers: its Redis client (closed at shutdown by RedisClients), the admin check (ChatAdmins, cached in that Redis), the
 * Meme and Digest stores and the composer (with the prompt file read at start-up, so a missing file
 * stops the worker at once).
 */
export const digestWorkerProviders: Provider[] = [
  redisClientProvider(DIGEST_REDIS, 'worker'),
  {
    provide: ChatAdmins,
    inject: [OutboxService, DIGEST_REDIS, ConfigService],
    useFactory: (outbox: OutboxService, redis: RedisClient, config: ConfigService<DigestWorkerEnv, true>) =>
      new ChatAdmins(outbox, redis, { prefix: config.get('QUEUE_PREFIX', { infer: true }), ttlSeconds: config.get('ADMIN_CACHE_SECONDS', { infer: true }) }),
  },
  { provide: MemeStore, inject: [PrismaService], useFactory: (prisma: PrismaService) => new MemeStore(prisma) },
  { provide: DigestStore, inject: [PrismaService], useFactory: (prisma: PrismaService) => new DigestStore(prisma) },
  {
    provide: DigestComposer,
    inject: [PrismaService, LlmService, ConfigService],
    useFactory: (prisma: PrismaService, llm: LlmService, config: ConfigService<DigestWorkerEnv, true>) => {
      const language = config.get('BOT_LANGUAGE', { infer: true });
      return new DigestComposer(prisma, llm, {
        tz: config.get('KRAKEN_TIMEZONE', { infer: true }),
        language,
        prompt: loadDigestPrompt(language, process.cwd(), config.get('DIGEST_PROMPT_PATH', { infer: true })),
        budgetTokens: config.get('DIGEST_PROMPT_BUDGET_TOKENS', { infer: true }),
        maxTokens: config.get('DIGEST_MAX_TOKENS', { infer: true }),
      });
    },
  },
];
