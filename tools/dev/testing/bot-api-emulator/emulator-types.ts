import type { ResponseParameters } from './bot-api-error';

/** A file part of a multipart/form-data request, kept whole so tests can look at the bytes. */
export interface UploadedFile {
  /** `filename` of the part's Content-Disposition (Telegraf sends e.g. `photo.jpg` for a Buffer). */
  filename: string;
  /** The part's Content-Type, `application/octet-stream` when the client sent none. */
  mimeType: string;
  data: Buffer;
}

/** JSON body of a Bot API answer (https://core.telegram.org/bots/api#making-requests). */
export type BotApiResponseBody =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: ResponseParameters };

/** What the emulator answered: HTTP status (= error_code on failures) and JSON body. */
export interface RecordedResponse {
  status: number;
  body: BotApiResponseBody;
  /** True when no answer was sent: the emulator closed the connection (dropConnection); `status` is 0 then. */
  dropped?: boolean;
}

/**
 * One request to `/bot<token>/<method>`, valid or not, recorded when its answer was sent
 * (so a long-polling getUpdates is recorded when it returns; `at` is still its arrival time).
 */
export interface RecordedCall {
  /** 1-based arrival order. */
  seq: number;
  /** Canonical method name when Telegram knows it (`sendMessage` even if called as `sendmessage`). */
  method: string;
  token: string;
  /**
   * Parameters after coercion to the spec's types (`"123"` → 123, `"true"` → true, JSON strings
   * → arrays/objects). Fields sent as file parts are not here but in `files`. When validation
   * failed these are the raw values.
   */
  params: Record<string, unknown>;
  /** File parts by part name (`photo`, or Telegraf's random attach names for media groups). */
  files: Record<string, UploadedFile>;
  /**
   * For methods with a `media` array (sendMediaGroup): per item, the uploaded file its
   * `attach://<name>` points to, or null when the item used a file_id/URL.
   */
  mediaUploads?: Array<UploadedFile | null>;
  /** Arrival time, ms since the epoch. */
  at: number;
  response: RecordedResponse;
  /** True when the answer came from injectFailure/failRatio rather than from the method. */
  injected: boolean;
  /** `webhook-reply` for a method Kraken returned in the body of a webhook response. */
  source: 'http' | 'webhook-reply';
  /** Which client called, when it used an API root of `<apiRoot>/client/<name>/` (tells processes apart). */
  client?: string;
}

/** A bot's own User object as getMe returns it (https://core.telegram.org/bots/api#user). */
export interface BotUser {
  id: number;
  is_bot: true;
  first_name: string;
  username: string;
  can_join_groups?: boolean;
  can_read_all_group_messages?: boolean;
  supports_inline_queries?: boolean;
}

/**
 * What a private chat shows while an answer streams: the last sendMessageDraft
 * (https://core.telegram.org/bots/api#sendmessagedraft), text and entities after parse_mode.
 */
export interface MessageDraft {
  draft_id: number;
  message_thread_id?: number;
  /** Visible text; empty for the "Thinking..." placeholder. */
  text: string;
  entities: Array<Record<string, unknown>>;
  /** When it was sent, emulator clock ms; the preview lasts 30 s. */
  at: number;
  /** How many sendMessageDraft calls with this draft_id updated it. */
  updates: number;
}

/** Chat types of https://core.telegram.org/bots/api#chat. */
export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

/**
 * Per-chat settings (`setChat`): all optional, defaults come from the chat id
 * (negative → supergroup titled `Chat <id>`, positive → private chat with `User <id>`).
 */
export interface ChatSettings {
  type?: ChatType;
  title?: string;
  username?: string;
  /** getChatMemberCount answer; default 42. */
  memberCount?: number;
  /** getChatAdministrators answer (ChatMember objects); default: one creator. */
  administrators?: Record<string, unknown>[];
  /** getChatMember answers by user id; users not listed are plain members. */
  members?: Record<string, Record<string, unknown>>;
}

/** Options of `injectFailure`: the next `times` matching requests fail with `errorCode`. */
export interface InjectFailureOptions {
  /** Method name (any case); all methods when omitted. */
  method?: string;
  /** Matches `chat_id` compared as strings; any chat when omitted. */
  chatId?: number | string;
  /** How many matching requests fail; default 1. */
  times?: number;
  /** HTTP status and `error_code`, e.g. 429, 400, 403, 500. */
  errorCode: number;
  /** Defaults to Telegram's usual text for the code (`Too Many Requests: retry after N` for 429). */
  description?: string;
  /** Seconds; for 429 sent as `parameters.retry_after` (default 1 for 429). */
  retryAfter?: number;
}

/** Options of `dropConnection`: matching requests get no answer, their connection is closed (a network failure). */
export interface DropConnectionOptions {
  /** Method name (any case); all methods when omitted. */
  method?: string;
  /** Matches `chat_id` compared as strings; any chat when omitted. */
  chatId?: number | string;
  /** How many matching requests are dropped; default 1. */
  times?: number;
}

/**
 * Options of `addLatency`: matching requests are executed (and recorded) at once, as Telegram does,
 * but answered only after `ms`; a client that gives up meanwhile does not undo the call.
 */
export interface LatencyOptions {
  method?: string;
  chatId?: number | string;
  /** Delay of the answer, in ms. */
  ms: number;
  /** How many matching requests are slowed; every one until `clearFailures()` when omitted. */
  times?: number;
}

/** Options of `failRatio`: each matching request fails with probability `ratio` until the rule expires. */
export interface FailRatioOptions {
  method?: string;
  chatId?: number | string;
  /** Probability in [0, 1]. */
  ratio: number;
  /** Default 429. */
  errorCode?: number;
  description?: string;
  /** Seconds, for 429 (default 1). */
  retryAfter?: number;
  /**
   * When the rule stops, as epoch ms. A value below 10^12 (before 2001-09) is taken as a duration
   * from now instead, so `untilMs: 5000` means "for 5 s". Omitted: until `clearFailures()`.
   */
  untilMs?: number;
  /** Duration in ms from now; alternative to `untilMs`. */
  durationMs?: number;
  /** Seed of this rule's RNG; default: the emulator's seed. Same seed → same failure pattern. */
  seed?: number;
}

/** Options of `waitFor`. */
export interface WaitForOptions {
  /** How many matching calls to wait for; default 1. */
  count?: number;
  /** Default 5000 ms. */
  timeoutMs?: number;
}
