import type { z } from 'zod';
import { assistantEnv } from './assistant.env';
import { chatTriggerEnv, chatWorkerEnv, llmFields, withLlmProviders } from './chat.env';
import { healthPortEnv } from './env-fields';
import { baseEnv, chatAdminsEnv, databaseEnv, telegramEnv } from './env.schema';
import { kbEnv, recapEnv } from './knowledge.env';

/**
 * Everything the llm-worker reads: shared settings, PostgreSQL (usage rows, chat settings), the bot
 * token (outbox producer), the admin cache (ADMIN_CACHE_SECONDS), bot names and language, the worker's
 * chat settings, the LLM providers, recaps, the knowledge base, the private assistant (assistantEnv) and HEALTH_PORT (default 9465).
 */
export const llmWorkerEnv = withLlmProviders(
  baseEnv
    .merge(databaseEnv)
    .merge(telegramEnv)
    .merge(chatAdminsEnv)
    .merge(chatTriggerEnv)
    .merge(chatWorkerEnv)
    .merge(llmFields)
    .merge(recapEnv)
    .merge(kbEnv)
    .merge(assistantEnv)
    .merge(healthPortEnv(9465)),
);
export type LlmWorkerEnv = z.infer<typeof llmWorkerEnv>;
