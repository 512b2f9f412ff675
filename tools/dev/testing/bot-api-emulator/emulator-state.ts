import type { ChatRegistry } from './chat-registry';
import type { PreparedContent } from './content-rules';
import type { BotUser, MessageDraft, UploadedFile } from './emulator-types';
import type { FileStore } from './file-store';
import type { UpdateQueue } from './update-queue';
import type { WebhookDelivery } from './webhook-delivery';

/** Everything the method handlers read and change: one emulated bot. */
export interface EmulatorState {
  bot: BotUser;
  chats: ChatRegistry;
  updates: UpdateQueue;
  webhook: WebhookDelivery;
  /** setMyCommands lists by `scope JSON|language_code`. */
  commands: Map<string, unknown[]>;
  /** Current time in ms since the epoch (Date.now unless the emulator was given a clock). */
  nowMs: () => number;
  /** Files users sent (BotApiEmulator.addMedia/addFile) and the bot uploaded: served by getFile and `/file/bot<token>/<file_path>`. */
  files: FileStore;
  /** The last sendMessageDraft per private chat id (see BotApiEmulator.draft). */
  drafts: Map<number, MessageDraft>;
}

/** One validated request as handed to a method handler. */
export interface HandlerRequest {
  /** Canonical method name. */
  method: string;
  /** Coerced parameters (file parts excluded). */
  params: Record<string, unknown>;
  files: Record<string, UploadedFile>;
  /** Parsed texts, captions and album items (see content-rules). */
  prepared: PreparedContent;
  /** Aborted when the client disconnects (ends a long poll early). */
  signal: AbortSignal;
}

/**
 * Implements one Bot API method: returns the `result` of `{ ok: true, result }`.
 *
 * @throws BotApiError for Telegram-level failures.
 */
export type MethodHandler = (request: HandlerRequest, state: EmulatorState) => unknown;
