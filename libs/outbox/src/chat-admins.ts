import type { RedisClient } from '@kraken/redis';
import type { OutboxService } from './outbox.service';

/** How long one admin-list call may wait for the outbox (limits and 429 back-offs included), in ms. */
const ADMINS_CALL_TIMEOUT_MS = 30_000;
/** ChatMember statuses that administer a chat (https://core.telegram.org/bots/api#chatmember). */
export const ADMIN_STATUSES: ReadonlySet<string> = new Set(['creator', 'administrator']);

/** Redis key of a chat's cached administrator ids: `<prefix>:admins:<chatId>` (JSON array). */
export const chatAdminsKey = (prefix: string, chatId: number): string => `${prefix}:admins:${chatId}`;

/** The part of a ChatMemberUpdated (https://core.telegram.org/bots/api#chatmemberupdated) changesAnAdmin reads. */
export interface ChatMemberChange {
  old_chat_member?: { status?: unknown };
  new_chat_member?: { status?: unknown };
}

/**
 * True when a `chat_member` update concerns an administrator before or after it (a promotion, a
 * demotion, changed rights, an admin leaving or banned): the chat's cached admin list is stale then.
 */
export function changesAnAdmin(update: ChatMemberChange): boolean {
  return ADMIN_STATUSES.has(String(update.old_chat_member?.status)) || ADMIN_STATUSES.has(String(update.new_chat_member?.status));
}

/** Options of ChatAdmins. */
export interface ChatAdminsOptions {
  /** QUEUE_PREFIX: the cache key's prefix. */
  prefix: string;
  /** ADMIN_CACHE_SECONDS: how long a chat's admin list is cached; 0 disables the cache. */
  ttlSeconds: number;
}

/**
 * The one admin check of Kraken's commands and buttons (/usage, /policy, /digest, meme moderation):
 * who administers a chat, from getChatAdministrators (through the outbox), cached in Redis under
 * chatAdminsKey for ADMIN_CACHE_SECONDS, so a burst of commands or button presses makes one Bot API
 * call. The gateway deletes the key when a `chat_member` update changes an administrator
 * (changesAnAdmin; Telegram sends those to bots that are admins), so a demoted admin loses rights at
 * once; the time-to-live bounds staleness where Telegram sends no such update. Callers decide the
 * cases without a call (private chats, anonymous admins posting as the chat).
 */
export class ChatAdmins {
  constructor(
    private readonly outbox: OutboxService,
    private readonly redis: RedisClient,
    private readonly options: ChatAdminsOptions,
  ) {}

  /**
   * True when user `userId` is the creator or an administrator of chat `chatId`.
   * @param signal stops waiting for the Bot API call when aborted (the calling job was handed back)
   * @throws OutboxCallFailedError when Telegram refuses the list (e.g. the bot is not in the chat);
   *   another Error when the call failed otherwise or timed out; `signal.reason` when it aborted
   */
  async isAdmin(chatId: number, userId: number, signal?: AbortSignal): Promise<boolean> {
    return (await this.adminIds(chatId, signal)).includes(userId);
  }

  private async adminIds(chatId: number, signal?: AbortSignal): Promise<number[]> {
    const key = chatAdminsKey(this.options.prefix, chatId);
    const { ttlSeconds } = this.options;
    if (ttlSeconds > 0) {
      const cached = await this.redis.get(key);
      if (cached !== null) return JSON.parse(cached) as number[];
    }
    const admins = await this.outbox.call<Array<{ user: { id: number } }>>(
      { method: 'getChatAdministrators', params: { chat_id: chatId }, chatId },
      { timeoutMs: ADMINS_CALL_TIMEOUT_MS, signal },
    );
    const ids = admins.map((member) => member.user.id);
    if (ttlSeconds > 0) await this.redis.set(key, JSON.stringify(ids), 'EX', ttlSeconds);
    return ids;
  }
}
