import type { z } from 'zod';
import { chatTriggerEnv, llmFields, withLlmProviders } from './chat.env';
import { digestEnv, memeEnv } from './digest.env';
import { healthPortEnv } from './env-fields';
import { baseEnv, chatAdminsEnv, databaseEnv, telegramEnv } from './env.schema';

/**
 * Everything the digest-worker reads: shared settings, PostgreSQL, the bot token (outbox producer),
 * BOT_LANGUAGE, CHAT_REFUSAL_WINDOW_SECONDS (one refused /digest per user per window), the admin cache
 * (ADMIN_CACHE_SECONDS), the LLM providers (DIGEST_MODEL), the meme flow (MEME_*), the digest
 * (DIGEST_*) and HEALTH_PORT (default 9466) of its /health and /metrics endpoints.
 */
export const digestWorkerEnv = withLlmProviders(
  baseEnv
    .merge(databaseEnv)
    .merge(telegramEnv)
    .merge(chatAdminsEnv)
    .merge(llmFields)
    .merge(memeEnv)
    .merge(digestEnv)
    .merge(healthPortEnv(9466))
    .extend({
      BOT_LANGUAGE: chatTriggerEnv.shape.BOT_LANGUAGE,
      CHAT_REFUSAL_WINDOW_SECONDS: chatTriggerEnv.shape.CHAT_REFUSAL_WINDOW_SECONDS,
    }),
);
export type DigestWorkerEnv = z.infer<typeof digestWorkerEnv>;
