import { providerVariable } from '@kraken/config';
import { PrismaService } from '@kraken/db';
import { redisClientProvider, RedisClientsModule } from '@kraken/queue';
import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RedisClient } from '@kraken/redis';
import { LlmBudgetRepository } from './budget-repository';
import { CompletionCache } from './completion-cache';
import { LlmBudget } from './llm-budget';
import { readLlmSettings } from './llm-settings';
import { LlmService } from './llm.service';
import { loadRegistryModels, withRegistryPrices } from './model-registry';
import { PrismaUsageRecorder } from './usage-recorder';

/** Injection token of the completion cache's Redis client. */
const LLM_REDIS = Symbol('LLM_REDIS');

/**
 * Global module providing LlmService, configured from ConfigService: LLM_PROVIDERS and
 * `LLM_<NAME>_*`, CHAT_MODEL, DIGEST_MODEL, LLM_TIMEOUT_MS, LLM_MAX_RETRIES, prices (the model
 * registry, seeded from LLM_MODELS_PATH at start, see loadRegistryModels; LLM_PRICES over them),
 * LLM_CACHE_TTL_SECONDS, LLM_BUDGET_* (see llmEnv in @kraken/config), the completion cache in Redis
 * (REDIS_URL, keys under QUEUE_PREFIX) and, when the app has PrismaModule, usage rows and the spend
 * budgets (days and months in KRAKEN_TIMEZONE) in PostgreSQL.
 * Needs a global ConfigService (KrakenConfigModule.forRoot with a schema that includes llmFields).
 */
@Global()
@Module({
  imports: [RedisClientsModule],
  providers: [
    // Its connection errors are reported by the failing cache call; closed at shutdown by RedisClients.
    redisClientProvider(LLM_REDIS, 'worker'),
    {
      provide: LlmService,
      inject: [ConfigService, LLM_REDIS, { token: PrismaService, optional: true }],
      useFactory: async (config: ConfigService, redis: RedisClient, prisma?: PrismaService) => {
        const read = readLlmSettings(configValues(config));
        const settings = withRegistryPrices(read, await loadRegistryModels(read.modelsPath, prisma));
        return new LlmService(settings, {
          cache: new CompletionCache(redis, config.getOrThrow<string>('QUEUE_PREFIX'), settings.cacheTtlSeconds),
          usage: prisma ? new PrismaUsageRecorder(prisma) : undefined,
          budget: prisma ? new LlmBudget(new LlmBudgetRepository(prisma), settings.budgets, config.getOrThrow<string>('KRAKEN_TIMEZONE')) : undefined,
        });
      },
    },
  ],
  exports: [LlmService],
})
export class LlmModule {}

/** Variables of llmFields other than the per-provider ones. */
const FIXED_KEYS = [
  'LLM_PROVIDERS',
  'LLM_PROVIDER_SETTINGS',
  'CHAT_MODEL',
  'DIGEST_MODEL',
  'LLM_TIMEOUT_MS',
  'LLM_MAX_RETRIES',
  'LLM_PRICES',
  'LLM_MODELS_PATH',
  'LLM_CACHE_TTL_SECONDS',
  'LLM_BUDGET_CHAT_DAILY_USD',
  'LLM_BUDGET_CHAT_MONTHLY_USD',
  'LLM_BUDGET_DAILY_USD',
  'LLM_BUDGET_MONTHLY_USD',
];
const PROVIDER_FIELDS = ['BASE_URL', 'API_KEY', 'CHAT_MODEL', 'DIGEST_MODEL'] as const;

/**
 * The LLM variables as ConfigService sees them; the per-provider `LLM_<NAME>_*` ones come from
 * ConfigService.get, which falls back to process.env when the app's schema did not keep them.
 */
function configValues(config: ConfigService): Record<string, unknown> {
  const values: Record<string, unknown> = Object.fromEntries(FIXED_KEYS.map((k) => [k, config.get(k)]));
  const listed = values.LLM_PROVIDERS;
  const names = Array.isArray(listed) ? listed.map(String) : String(listed ?? 'openai').split(',').map((s) => s.trim());
  for (const name of names) {
    for (const field of PROVIDER_FIELDS) values[providerVariable(name, field)] = config.get(providerVariable(name, field));
  }
  return values;
}
