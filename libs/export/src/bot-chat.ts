/**
 * The Bot API `Chat` of an exported chat: its id, type and title.
 *
 * Telegram Desktop chat types (`export_output_json.cpp`) → Bot API `Chat.type`:
 * - `personal_chat`, `bot_chat`, `saved_messages` → `private` (id kept positive, `first_name` = name);
 * - `private_group` → `group` (id `-<id>`);
 * - `private_supergroup`, `public_supergroup` → `supergroup` (id `-100<id>`);
 * - `private_channel`, `public_channel` → `channel` (id `-100<id>`).
 */
import type { Chat } from 'telegraf/types';
import type { ExportChat } from './export-schema';
import { botApiPeerId } from './telegram-ids';

/** Bot API chat types. */
export type BotChatType = Chat['type'];

const CHAT_TYPES: Record<string, BotChatType> = {
  personal_chat: 'private',
  bot_chat: 'private',
  saved_messages: 'private',
  private_group: 'group',
  private_supergroup: 'supergroup',
  public_supergroup: 'supergroup',
  private_channel: 'channel',
  public_channel: 'channel',
};

/**
 * Bot API chat type of an exported chat.
 * @throws Error `unsupported Telegram Desktop chat type "<type>"` for any other type.
 */
export function botChatType(exportType: string): BotChatType {
  const type = CHAT_TYPES[exportType];
  if (!type) {
    throw new Error(
      `unsupported Telegram Desktop chat type "${exportType}" (expected one of ${Object.keys(CHAT_TYPES).join(', ')})`,
    );
  }
  return type;
}

/** Default Bot API id of an exported chat (see the module docstring for the sign rules). */
export function botChatId(chat: ExportChat): number {
  const type = botChatType(chat.type);
  if (type === 'private') return chat.id;
  return botApiPeerId({ kind: type === 'group' ? 'chat' : 'channel', bareId: Math.abs(chat.id) });
}

/**
 * The Bot API `Chat` object sent in every message of the chat.
 * @param chatId overrides the derived id (e.g. to replay into a test chat).
 * @param isForum sets `is_forum: true` (supergroups only; Bot API `Chat.is_forum`).
 */
export function toBotChat(chat: ExportChat, chatId: number | undefined, isForum: boolean): Chat {
  const type = botChatType(chat.type);
  const id = chatId ?? botChatId(chat);
  switch (type) {
    case 'private':
      return { id, type, first_name: chat.name ?? 'Deleted Account' };
    case 'group':
      return { id, type, title: chat.name ?? 'Group' };
    case 'supergroup':
      return isForum ? { id, type, title: chat.name ?? 'Group', is_forum: true } : { id, type, title: chat.name ?? 'Group' };
    case 'channel':
      return { id, type, title: chat.name ?? 'Channel' };
  }
}
