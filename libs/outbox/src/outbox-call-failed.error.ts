/** What Telegram answered to a call it refused for good (https://core.telegram.org/bots/api#making-requests). */
export interface OutboxCallFailure {
  /** Bot API method, e.g. `sendMessage`. */
  method: string;
  /** Telegram's `error_code`, e.g. 400 or 403. */
  errorCode: number;
  /**
   * Telegram's `description`, e.g. `Bad Request: can't parse entities: …`; a group upgraded to a
   * supergroup has ` (migrate_to_chat_id <id>)` appended.
   */
  description: string;
  /** `parameters.retry_after` in seconds, when Telegram sent one. */
  retryAfter?: number;
}

/**
 * The failed reason of an outbox job Telegram refused, as the outbox worker writes it (BullMQ
 * `failedReason`, seen in logs and in a parent's `getIgnoredChildrenFailures()`):
 * `<method> failed: <errorCode> <description>[ (retry after <s> s)]`,
 * e.g. `setWebhook failed: 400 Bad Request: bad webhook: HTTPS url must be provided for webhook`.
 * OutboxCallFailedError.fromFailedReason reads it back.
 */
export function outboxFailureReason(failure: OutboxCallFailure): string {
  const retry = failure.retryAfter === undefined ? '' : ` (retry after ${failure.retryAfter} s)`;
  return `${failure.method} failed: ${failure.errorCode} ${failure.description}${retry}`;
}

/** outboxFailureReason's format: method, three-digit code, description, optional retry suffix. */
const REASON = /^(\w+) failed: (\d{3}) ([\s\S]*?)(?: \(retry after (\d+) s\))?$/;

/**
 * An outbox call Telegram refused for good (a 4xx other than 401 and 429, see classifyTelegramFailure):
 * thrown by OutboxService.call, and read from a failed child's reason with fromFailedReason. The
 * message is the job's failed reason (outboxFailureReason).
 */
export class OutboxCallFailedError extends Error implements OutboxCallFailure {
  override name = 'OutboxCallFailedError';
  readonly method: string;
  readonly errorCode: number;
  readonly description: string;
  readonly retryAfter?: number;

  constructor(failure: OutboxCallFailure) {
    super(outboxFailureReason(failure));
    this.method = failure.method;
    this.errorCode = failure.errorCode;
    this.description = failure.description;
    if (failure.retryAfter !== undefined) this.retryAfter = failure.retryAfter;
  }

  /**
   * The error behind an outbox job's BullMQ `failedReason`, when it is a refusal by Telegram written by
   * the outbox worker; undefined for other reasons (a network error or 5xx after the last attempt, an
   * invalid payload, a job removed meanwhile).
   */
  static fromFailedReason(reason: string): OutboxCallFailedError | undefined {
    const match = REASON.exec(reason);
    if (!match) return undefined;
    const [, method, code, description, retryAfter] = match;
    return new OutboxCallFailedError({
      method: method!,
      errorCode: Number(code),
      description: description!,
      ...(retryAfter === undefined ? {} : { retryAfter: Number(retryAfter) }),
    });
  }
}
