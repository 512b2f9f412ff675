import { baseEnv, chatAdminsEnv, chatTriggerEnv, databaseEnv, digestEnv, llmFields, memeEnv, telegramEnv, withLlmProviders } from '@kraken/config';
import { z } from 'zod';

/**
 * Everything the digest-worker reads: shared settings, PostgreSQL, the bot token (outbox producer),
 * BOT_LANGUAGE, CHAT_REFUSAL_WINDOW_SECONDS (one refused /digest per user per window), the admin cache (ADMIN_CACHE_SECONDS), the LLM providers (DIGEST_MODEL), the meme flow (MEME_*) and the digest (DIGEST_*),
 * and HEALTH_PORT of its /health and /metrics endpoints.
 */
export const digestWorkerEnv = withLlmProviders(
  baseEnv
    .merge(databaseEnv)
    .merge(telegramEnv)
    .merge(chatAdminsEnv)
    .merge(llmFields)
    .merge(memeEnv)
    .merge(digestEnv)
    .extend({
      BOT_LANGUAGE: chatTriggerEnv.shape.BOT_LANGUAGE,
      CHAT_REFUSAL_WINDOW_SECONDS: chatTriggerEnv.shape.CHAT_REFUSAL_WINDOW_SECONDS,
      HEALTH_PORT: z.coerce.number().int().min(0).default(9466),
    }),
);
export type DigestWorkerEnv = z.infer<typeof digestWorkerEnv>;
