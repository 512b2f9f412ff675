import { loadPersona, ContextStore } from '@kraken/chat';
import { ChatAdmins, OutboxService } from '@kraken/outbox';
import { redisClientProvider } from '@kraken/queue';
import type { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RedisClient } from '@kraken/redis';
import type { LlmWorkerEnv } from './llm-worker.env';

/** Injection token of the worker's Redis client (context, notices, stored answers, policies). */
export const WORKER_REDIS = Symbol('WORKER_REDIS');
/** Injection token of the clock, `() => ms since the epoch` (tests override it). */
export const CLOCK = Symbol('CLOCK');
/** Injection token of the persona text (system prompt). */
export const PERSONA = Symbol('PERSONA');

/** A clock in ms since the epoch. */
export type Clock = () => number;

/** The worker's providers: Redis client (closed at shutdown by RedisClients), clock, context store, the admin check (ChatAdmins) and persona. */
export const chatWorkerProviders: Provider[] = [
  redisClientProvider(WORKER_REDIS, 'worker'),
  { provide: CLOCK, useValue: Date.now },
  {
    provide: ContextStore,
    inject: [WORKER_REDIS, ConfigService, CLOCK],
    useFactory: (redis: RedisClient, config: ConfigService<LlmWorkerEnv, true>, clock: Clock) =>
      new ContextStore(redis, config.get('QUEUE_PREFIX', { infer: true }), {
        windowMs: config.get('CHAT_CONTEXT_WINDOW_MINUTES', { infer: true }) * 60_000,
        maxEntries: config.get('CHAT_CONTEXT_MAX_ENTRIES', { infer: true }),
        maxBytes: config.get('CHAT_CONTEXT_MAX_BYTES', { infer: true }),
        now: () => clock(),
      }),
  },
  {
    provide: ChatAdmins,
    inject: [OutboxService, WORKER_REDIS, ConfigService],
    useFactory: (outbox: OutboxService, redis: RedisClient, config: ConfigService<LlmWorkerEnv, true>) =>
      new ChatAdmins(outbox, redis, { prefix: config.get('QUEUE_PREFIX', { infer: true }), ttlSeconds: config.get('ADMIN_CACHE_SECONDS', { infer: true }) }),
  },
  {
    provide: PERSONA,
    inject: [ConfigService],
    useFactory: (config: ConfigService<LlmWorkerEnv, true>) =>
      loadPersona(config.get('BOT_LANGUAGE', { infer: true }), process.cwd(), config.get('PERSONA_PATH', { infer: true })),
  },
];
