import { z } from 'zod';
import { intFrom } from './env-fields';

/**
 * The private assistant's settings (llm-worker, see docs/assistant.md):
 * - ASSISTANT_IDLE_HOURS: after this long without a message, the next one starts a fresh session
 *   (with a button back to the old one); 0 never starts one by itself. Default 6.
 * - ASSISTANT_ANSWER_MAX_TOKENS: the output limit of one answer (sent as the model's output-limit
 *   parameter, see the model registry). Default 2000.
 */
export const assistantEnv = z.object({
  ASSISTANT_IDLE_HOURS: z.coerce.number().min(0).default(6),
  ASSISTANT_ANSWER_MAX_TOKENS: intFrom(16, 2000),
});
export type AssistantEnv = z.infer<typeof assistantEnv>;
