import { z } from 'zod';
import { intFrom } from './env-fields';

/**
 * The private assistant's settings (llm-worker, see docs/assistant.md):
 * - ASSISTANT_IDLE_HOURS: after this long without a message, the next one starts a fresh session
 *   (with a button back to the old one); 0 never starts one by itself. Default 6.
 * - ASSISTANT_ANSWER_MAX_TOKENS: the output limit of one answer (sent as the model's output-limit
 *   parameter, see the model registry). Default 2000.
 * - ASSISTANT_TRANSCRIPTION_MODEL: the model voice notes, audio files and video notes are transcribed
 *   with (`/audio/transcriptions`, e.g. `whisper-1`, `gpt-4o-mini-transcribe`). Default `whisper-1`.
 * - ASSISTANT_TRANSCRIPTION_USD_PER_MINUTE: its price in USD per minute of audio, billed per second.
 *   Default 0.006 (OpenAI's whisper-1).
 * - ASSISTANT_TRANSCRIPTION_TIMEOUT_MS: how long one transcription may take, in ms. Default 120 000.
 * - ASSISTANT_USER_DAILY_USD / ASSISTANT_USER_MONTHLY_USD: each user's own assistant budget per day
 *   and per month in USD (reserved worst case, settled with the reported cost); 0 switches one off.
 *   An admin's row in `AssistantUserBudget` overrides them per user. Default 0.
 */
export const assistantEnv = z.object({
  ASSISTANT_IDLE_HOURS: z.coerce.number().min(0).default(6),
  ASSISTANT_ANSWER_MAX_TOKENS: intFrom(16, 2000),
  ASSISTANT_TRANSCRIPTION_MODEL: z.string().min(1).max(128).default('whisper-1'),
  ASSISTANT_TRANSCRIPTION_USD_PER_MINUTE: z.coerce.number().min(0).default(0.006),
  ASSISTANT_TRANSCRIPTION_TIMEOUT_MS: intFrom(1000, 120_000),
  ASSISTANT_USER_DAILY_USD: z.coerce.number().min(0).default(0),
  ASSISTANT_USER_MONTHLY_USD: z.coerce.number().min(0).default(0),
});
export type AssistantEnv = z.infer<typeof assistantEnv>;
