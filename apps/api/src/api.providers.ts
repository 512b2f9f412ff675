import { Global, Module, type Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AccessTokens, AccountRepository, AccountService, QuestionRepository, SessionRepository, TelegramLinkCodes } from '@kraken/auth';
import { kbEnv, type ApiEnv, type KbEnv } from '@kraken/config';
import { PrismaService } from '@kraken/db';
import { createKnowledgeBase, KnowledgeBase } from '@kraken/kb';
import { readLlmSettings } from '@kraken/llm';
import { RedisClients, RedisClientsModule } from '@kraken/queue';
import type { RedisClient } from '@kraken/redis';
import { API_REDIS } from './api.tokens';

type Config = ConfigService<ApiEnv, true>;

/**
 * The API's Redis client (global, so ThrottlerModule's factory can use it): fail-fast like the
 * gateway's producers (no offline queue), so a request during a Redis outage fails at once instead of
 * hanging; connected before the app starts listening, closed at shutdown (after in-flight requests
 * finished) by RedisClients.
 */
@Global()
@Module({
  imports: [RedisClientsModule],
  providers: [
    {
      provide: API_REDIS,
      inject: [RedisClients],
      useFactory: async (clients: RedisClients) => {
        // Auto-pipelining: commands of concurrent requests issued in the same tick share one write.
        const redis = clients.create('producer', { lazyConnect: true, enableAutoPipelining: true });
        await redis.connect();
        return redis;
      },
    },
  ],
  exports: [API_REDIS],
})
export class ApiRedisModule {}

/** Accounts, sessions, tokens, questions, Telegram link codes and the knowledge base, built from the configuration. */
export const apiProviders: Provider[] = [
  { provide: AccountRepository, inject: [PrismaService], useFactory: (prisma: PrismaService) => new AccountRepository(prisma) },
  { provide: SessionRepository, inject: [PrismaService], useFactory: (prisma: PrismaService) => new SessionRepository(prisma) },
  { provide: QuestionRepository, inject: [PrismaService], useFactory: (prisma: PrismaService) => new QuestionRepository(prisma) },
  {
    provide: AccessTokens,
    inject: [ConfigService],
    useFactory: (config: Config) => new AccessTokens(config.get('JWT_SECRET', { infer: true }), config.get('JWT_ACCESS_TTL_SECONDS', { infer: true })),
  },
  {
    provide: AccountService,
    inject: [AccountRepository, SessionRepository, AccessTokens, ConfigService],
    useFactory: (accounts: AccountRepository, sessions: SessionRepository, tokens: AccessTokens, config: Config) =>
      new AccountService(accounts, sessions, tokens, { refreshTtlDays: config.get('REFRESH_TTL_DAYS', { infer: true }) }),
  },
  {
    provide: TelegramLinkCodes,
    inject: [API_REDIS, ConfigService],
    useFactory: (redis: RedisClient, config: Config) => new TelegramLinkCodes(redis, config.get('QUEUE_PREFIX', { infer: true }), config.get('TELEGRAM_LINK_TTL_SECONDS', { infer: true })),
  },
  {
    // The same KnowledgeBase as `kraken kb` and the llm-worker's `/kb` (KB_* settings, embeddings of the first provider).
    provide: KnowledgeBase,
    inject: [PrismaService, ConfigService],
    useFactory: (prisma: PrismaService, config: Config) =>
      createKnowledgeBase(prisma, Object.fromEntries(Object.keys(kbEnv.shape).map((key) => [key, config.get(key as keyof KbEnv, { infer: true })])) as KbEnv, readLlmSettings(process.env)),
  },
];
