import { baseEnv, chatAdminsEnv, chatTriggerEnv, chatWorkerEnv, databaseEnv, kbEnv, llmFields, recapEnv, telegramEnv, withLlmProviders } from '@kraken/config';
import type { z } from 'zod';

/**
 * Everything the llm-worker reads: shared settings, PostgreSQL (usage rows, chat settings), the bot
 * token (outbox producer), the admin cache (ADMIN_CACHE_SECONDS), bot names and language, the worker's chat settings and the LLM providers.
 */
export const llmWorkerEnv = withLlmProviders(
  baseEnv.merge(databaseEnv).merge(telegramEnv).merge(chatAdminsEnv).merge(chatTriggerEnv).merge(chatWorkerEnv).merge(llmFields).merge(recapEnv).merge(kbEnv),
);
export type LlmWorkerEnv = z.infer<typeof llmWorkerEnv>;
