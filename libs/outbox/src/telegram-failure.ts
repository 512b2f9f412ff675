import { TelegramError } from 'telegraf';

/**
 * What to do about a failed Bot API call:
 * - `flood`: Telegram answered 429; wait `retryAfterMs` before trying again (from
 *   `parameters.retry_after`, seconds, https://core.telegram.org/bots/api#responseparameters).
 * - `permanent`: the request itself is wrong or can never succeed (400 bad request, 403 bot blocked or
 *   kicked, 404, 409, 413 …); retrying would only repeat the answer. A group upgraded to a supergroup
 *   answers 400 with `migrate_to_chat_id`, which is appended to the description.
 * - `transient`: network error, timeout, 5xx or 401 (a token problem is fixed by an operator, and the
 *   message should still go out then); retry with back-off.
 */
export type TelegramFailure =
  | { kind: 'flood'; retryAfterMs: number; description: string }
  | { kind: 'permanent'; errorCode: number; description: string }
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
  const description = `${code} ${error.description ?? 'no description'}${migratedTo ? ` (migrate_to_chat_id ${migratedTo})` : ''}`;
  if (code === 429) {
    const seconds = error.parameters?.retry_after;
    const retryAfterMs = typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS;
    return { kind: 'flood', retryAfterMs, description };
  }
  if (code >= 400 && code < 500 && code !== 401) return { kind: 'permanent', errorCode: code, description };
  return { kind: 'transient', description };
}
