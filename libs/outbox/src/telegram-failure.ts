import { TelegramError } from 'telegraf';
import type { OutboxCallFailure } from './outbox-call-failed.error';

/**
 * What to do about a failed Bot API call:
 * - `flood`: Telegram answered 429; wait `retryAfterMs` before trying again (from
 *   `parameters.retry_after`, seconds, https://core.telegram.org/bots/api#responseparameters).
 * - `permanent`: the request itself is wrong or can never succeed (400 bad request, 403 bot blocked or
 *   kicked, 404, 409, 413 …); retrying would only repeat the answer. `description` is Telegram's; a
 *   group upgraded to a supergroup answers 400 with `migrate_to_chat_id`, which is appended to it.
 * - `transient`: network error, timeout, 5xx or 401 (a token problem is fixed by an operator, and the
 *   message should still go out then); retry with back-off.
 * For `flood` and `transient`, `description` is a line for the log (the code, then Telegram's text or
 * the network error's message).
 */
export type TelegramFailure =
  | { kind: 'flood'; retryAfterMs: number; description: string }
  | { kind: 'permanent'; errorCode: number; description: string; retryAfter?: number }
  | { kind: 'transient'; description: string };

/** Used when a 429 carries no retry_after (it always should), in ms. */
export const DEFAULT_RETRY_AFTER_MS = 5_000;

/** Classifies an error thrown by Telegraf's `callApi` (TelegramError or a network error). */
export function classifyTelegramFailure(error: unknown): TelegramFailure {
  if (!(error instanceof TelegramError)) {
    return { kind: 'transient', description: error instanceof Error ? error.message : String(error) };
  }
  const code = error.code;
  const migratedTo = error.parameters?.migrate_to_chat_id;
  const telegramDescription = `${error.description ?? 'no description'}${migratedTo ? ` (migrate_to_chat_id ${migratedTo})` : ''}`;
  const description = `${code} ${telegramDescription}`;
  const seconds = error.parameters?.retry_after;
  if (code === 429) {
    const retryAfterMs = typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS;
    return { kind: 'flood', retryAfterMs, description };
  }
  if (code >= 400 && code < 500 && code !== 401) {
    return { kind: 'permanent', errorCode: code, description: telegramDescription, ...(typeof seconds === 'number' ? { retryAfter: seconds } : {}) };
  }
  return { kind: 'transient', description };
}

/**
 * True when Telegram refused a message because its formatting does not parse: 400 with a description
 * `Bad Request: can't parse entities: …` (https://core.telegram.org/bots/api#formatting-options), so
 * the same text sent without `parse_mode` would go through.
 */
export function isUnparsableEntities(failure: Pick<OutboxCallFailure, 'errorCode' | 'description'>): boolean {
  return failure.errorCode === 400 && failure.description.includes("can't parse entities");
}
