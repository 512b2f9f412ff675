import { badRequest } from './bot-api-error';
import type { BotUser, ChatSettings, ChatType } from './emulator-types';

/** A Chat object as embedded in messages (https://core.telegram.org/bots/api#chat). */
export interface ChatObject {
  id: number;
  type: ChatType;
  title?: string;
  username?: string;
  first_name?: string;
}

/** What the emulator remembers of a message the bot sent, to answer edits like Telegram. */
interface StoredMessage {
  content: string;
  deleted: boolean;
}

/** Owner returned by getChatAdministrators for chats with no configured administrators. */
const DEFAULT_OWNER = { id: 1, is_bot: false, first_name: 'Owner' };
/** Messages remembered for edit/delete checks; the oldest are forgotten past this. */
const MAX_STORED_MESSAGES = 20_000;

/**
 * Chats the emulated bot talks to. A chat needs no set-up: its type comes from the id
 * (negative → supergroup, positive → private, `@username` → channel) unless `configure` says
 * otherwise. Also hands out message ids (per chat, increasing from `firstMessageId`) and remembers
 * sent messages so edits of deleted or unchanged messages fail as they do on Telegram.
 */
export class ChatRegistry {
  private readonly settings = new Map<number, ChatSettings>();
  private readonly usernames = new Map<string, number>();
  private readonly lastMessageIds = new Map<number, number>();
  private readonly messages = new Map<string, StoredMessage>();

  constructor(
    private readonly firstMessageId = 1,
    private readonly defaultMemberCount = 42,
  ) {}

  /**
   * Sets (merges) a chat's settings. `id` is a numeric id or `@username`; a username in
   * `settings.username` also becomes resolvable as `@username`.
   */
  configure(id: number | string, settings: ChatSettings): void {
    const numericId = this.idOf(id);
    const merged = { ...this.settings.get(numericId), ...settings };
    this.settings.set(numericId, merged);
    if (merged.username) this.usernames.set(merged.username.toLowerCase(), numericId);
  }

  /**
   * Numeric chat id for a chat_id parameter.
   *
   * @throws BotApiError 400 `Bad Request: chat_id is empty` for '' and `chat not found` for
   * strings that are neither numbers nor @usernames.
   */
  idOf(chatId: unknown): number {
    if (typeof chatId === 'number') return chatId;
    const text = String(chatId ?? '').trim();
    if (text === '') throw badRequest('chat_id is empty');
    if (/^-?\d+$/.test(text)) return Number(text);
    if (!/^@\w{4,32}$/.test(text)) throw badRequest('chat not found');
    const name = text.slice(1).toLowerCase();
    const known = this.usernames.get(name);
    if (known !== undefined) return known;
    const id = -(1_000_000_000_000 + hash(name));
    this.settings.set(id, { type: 'channel', username: text.slice(1), ...this.settings.get(id) });
    this.usernames.set(name, id);
    return id;
  }

  /** The Chat object for messages in this chat. */
  chat(chatId: unknown): ChatObject {
    const id = this.idOf(chatId);
    const settings = this.settings.get(id) ?? {};
    const type: ChatType = settings.type ?? (id < 0 ? 'supergroup' : 'private');
    const chat: ChatObject = { id, type };
    if (type === 'private') chat.first_name = settings.title ?? `User ${id}`;
    else chat.title = settings.title ?? `Chat ${id}`;
    if (settings.username) chat.username = settings.username;
    return chat;
  }

  /** getChat's ChatFullInfo (https://core.telegram.org/bots/api#chatfullinfo), required fields filled. */
  fullInfo(chatId: unknown): Record<string, unknown> {
    return {
      ...this.chat(chatId),
      accent_color_id: 0,
      max_reaction_count: 11,
      accepted_gift_types: {
        unlimited_gifts: false,
        limited_gifts: false,
        unique_gifts: false,
        premium_subscription: false,
        gifts_from_channels: false,
      },
    };
  }

  /** Next message id in the chat: `firstMessageId`, then +1 per message. */
  nextMessageId(chatId: unknown): number {
    const id = this.idOf(chatId);
    const next = (this.lastMessageIds.get(id) ?? this.firstMessageId - 1) + 1;
    this.lastMessageIds.set(id, next);
    return next;
  }

  /** getChatMemberCount: configured, else 2 for private chats and `defaultMemberCount` (42) for others. */
  memberCount(chatId: unknown): number {
    const id = this.idOf(chatId);
    const configured = this.settings.get(id)?.memberCount;
    if (configured !== undefined) return configured;
    return this.chat(id).type === 'private' ? 2 : this.defaultMemberCount;
  }

  /**
   * getChatAdministrators: configured, else one creator.
   *
   * @throws BotApiError 400 for private chats, like Telegram.
   */
  administrators(chatId: unknown): Record<string, unknown>[] {
    const id = this.idOf(chatId);
    if (this.chat(id).type === 'private') throw badRequest('there are no administrators in the private chat');
    return this.settings.get(id)?.administrators ?? [{ status: 'creator', user: DEFAULT_OWNER, is_anonymous: false }];
  }

  /**
   * getChatMember: a configured entry, else an administrator entry for that user, else the bot
   * as an administrator of groups/channels, else a plain member.
   */
  member(chatId: unknown, userId: number, bot: BotUser): Record<string, unknown> {
    const id = this.idOf(chatId);
    const settings = this.settings.get(id);
    const configured = settings?.members?.[String(userId)];
    if (configured) return configured;
    const isPrivate = this.chat(id).type === 'private';
    const admin = isPrivate
      ? undefined
      : this.administrators(id).find((entry) => (entry.user as { id?: number } | undefined)?.id === userId);
    if (admin) return admin;
    if (userId === bot.id) return isPrivate ? { status: 'member', user: bot } : botAdministrator(bot);
    return { status: 'member', user: { id: userId, is_bot: false, first_name: `User ${userId}` } };
  }

  /** Remembers a sent (or edited) message's content, serialized for equality checks. */
  remember(chatId: number, messageId: number, content: unknown): void {
    const key = `${chatId}:${messageId}`;
    this.messages.delete(key);
    this.messages.set(key, { content: JSON.stringify(content), deleted: false });
    if (this.messages.size > MAX_STORED_MESSAGES) {
      const oldest = this.messages.keys().next().value;
      if (oldest !== undefined) this.messages.delete(oldest);
    }
  }

  /**
   * Checks an edit of a message: `message to edit not found` when it was deleted,
   * `message is not modified…` when the content is unchanged. Unknown messages (sent by users, or
   * before the emulator started) are accepted.
   *
   * @throws BotApiError 400.
   */
  checkEdit(chatId: number, messageId: number, content: unknown): void {
    const stored = this.messages.get(`${chatId}:${messageId}`);
    if (!stored) return;
    if (stored.deleted) throw badRequest('message to edit not found');
    if (stored.content === JSON.stringify(content)) {
      throw badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
  }

  /** Stored content of a known message, parsed back, or undefined. */
  storedContent(chatId: number, messageId: number): Record<string, unknown> | undefined {
    const stored = this.messages.get(`${chatId}:${messageId}`);
    return stored && !stored.deleted ? (JSON.parse(stored.content) as Record<string, unknown>) : undefined;
  }

  /**
   * deleteMessage: marks a known message deleted.
   *
   * @throws BotApiError 400 `message to delete not found` for a message deleted before.
   */
  delete(chatId: number, messageId: number): void {
    const stored = this.messages.get(`${chatId}:${messageId}`);
    if (stored?.deleted) throw badRequest('message to delete not found');
    if (stored) stored.deleted = true;
  }
}

/** The bot as an administrator with the usual rights of a community bot. */
function botAdministrator(bot: BotUser): Record<string, unknown> {
  return {
    status: 'administrator',
    user: bot,
    can_be_edited: false,
    is_anonymous: false,
    can_manage_chat: true,
    can_delete_messages: true,
    can_manage_video_chats: false,
    can_restrict_members: true,
    can_promote_members: false,
    can_change_info: false,
    can_invite_users: true,
    can_post_stories: false,
    can_edit_stories: false,
    can_delete_stories: false,
    can_pin_messages: true,
  };
}

/** Small stable string hash (FNV-1a, 32 bit) for synthetic ids of @username chats. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
