/**
 * `ResponseParameters` of a failed call (https://core.telegram.org/bots/api#responseparameters):
 * `retry_after` (seconds) on 429, `migrate_to_chat_id` when a group became a supergroup.
 */
export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

/**
 * A Bot API failure as Telegram reports it: HTTP status = `error_code`, body
 * `{ ok: false, error_code, description, parameters? }` (https://core.telegram.org/bots/api#making-requests).
 * Thrown by validators and method handlers, turned into the HTTP answer by the emulator.
 */
export class BotApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(`${errorCode}: ${description}`);
    this.name = 'BotApiError';
  }

  /** The JSON body Telegram would answer with. */
  toBody(): { ok: false; error_code: number; description: string; parameters?: ResponseParameters } {
    return {
      ok: false,
      error_code: this.errorCode,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

/** A 400 whose description starts with Telegram's `Bad Request: ` prefix. */
export function badRequest(reason: string): BotApiError {
  return new BotApiError(400, `Bad Request: ${reason}`);
}

/** A 400 `Bad Request: can't parse entities: <reason>`, Telegram's answer to malformed parse_mode markup. */
export function cantParseEntities(reason: string): BotApiError {
  return badRequest(`can't parse entities: ${reason}`);
}

/**
 * Telegram's usual description for an error code when none is given (the texts Bot API clients
 * see: `Forbidden: bot was blocked by the user`, `Too Many Requests: retry after N`, …).
 */
export function defaultDescription(errorCode: number, retryAfter?: number): string {
  switch (errorCode) {
    case 400:
      return 'Bad Request: injected failure';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden: bot was blocked by the user';
    case 404:
      return 'Not Found';
    case 409:
      return 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
    case 429:
      return `Too Many Requests: retry after ${retryAfter ?? 1}`;
    case 500:
      return 'Internal Server Error';
    case 502:
      return 'Bad Gateway';
    default:
      return `Error ${errorCode}`;
  }
}
