/**
 * Who sent an exported message, as Bot API `from` / `sender_chat`, and users known only by name.
 *
 * Rules:
 * - `user<id>` → `from: {id, is_bot: false, first_name: <name>}` (the export keeps one display name:
 *   it is not split; a null name — deleted account — becomes "Deleted Account"; `is_bot` is true only
 *   for `options.botId`, the export does not say who is a bot).
 * - `channel<id>` equal to the chat itself (an anonymous admin posting as the group) →
 *   `sender_chat` = the chat, `from` = GroupAnonymousBot (1087968824), as Telegram does
 *   (Bot API Message.from: "a fake sender user in non-channel chats").
 * - another `channel<id>` (a channel posting in the group) → `sender_chat: {id: -100<id>, type:
 *   'channel', title}`, `from` = Channel_Bot (136817688), Telegram's fake user for channel senders.
 * - in a channel, posts have `sender_chat` = the channel and no `from` (Bot API: "may be empty for
 *   messages sent to channels").
 */
import type { Chat, User } from 'telegraf/types';
import type { ExportChat } from './export-schema';
import {
  botApiPeerId,
  parsePeerId,
  syntheticDeletedUserId,
  syntheticUserIdFromName,
} from './telegram-ids';

/** Telegram's fake sender of messages sent by anonymous group admins on behalf of the group. */
export const GROUP_ANONYMOUS_BOT: User = {
  id: 1087968824,
  is_bot: true,
  first_name: 'Group',
  username: 'GroupAnonymousBot',
};

/** Telegram's fake sender of messages sent in groups on behalf of a channel. */
export const CHANNEL_BOT: User = { id: 136817688, is_bot: true, first_name: 'Channel', username: 'Channel_Bot' };

/** Display name used for deleted accounts (what Telegram clients show). */
export const DELETED_ACCOUNT_NAME = 'Deleted Account';

/** Per-chat state the sender rules need. */
export interface SenderContext {
  /** The Bot API chat the messages belong to. */
  chat: Chat;
  /** Bot API user id to mark `is_bot: true` (the bot's own messages in the export), if any. */
  botId?: number;
  /** The export's own `id` of the chat (bare, positive): `channel<id>` / `chat<id>` equal to it is the chat. */
  exportChatId: number;
  /** Display name → user id, for names that map to exactly one user id in the export. */
  knownNames: ReadonlyMap<string, number>;
}

/** `from` / `sender_chat` of a message. */
export interface SenderFields {
  from?: User;
  sender_chat?: Chat;
}

/** Bot API User for a user id and export display name (null name → "Deleted Account"). */
export function userOf(id: number, name: string | null | undefined, ctx: SenderContext): User {
  return { id, is_bot: id === ctx.botId, first_name: name || DELETED_ACCOUNT_NAME };
}

/**
 * `from` / `sender_chat` of a message or service message (see the module docstring).
 * @param peerId the export `from_id` / `actor_id`; when absent, the chat itself is the sender.
 * @param name the export `from` / `actor`.
 */
export function senderFields(peerId: string | undefined, name: string | null | undefined, ctx: SenderContext): SenderFields {
  if (ctx.chat.type === 'channel') return { sender_chat: ctx.chat };
  if (peerId === undefined) return { from: GROUP_ANONYMOUS_BOT, sender_chat: ctx.chat };
  const peer = parsePeerId(peerId);
  if (peer.kind === 'user') return { from: userOf(peer.bareId, name, ctx) };
  if (peer.bareId === ctx.exportChatId) {
    const sender = 'title' in ctx.chat && name ? { ...ctx.chat, title: name } : ctx.chat;
    return { from: GROUP_ANONYMOUS_BOT, sender_chat: sender };
  }
  return {
    from: CHANNEL_BOT,
    sender_chat: { id: botApiPeerId(peer), type: 'channel', title: name || 'Deleted Channel' },
  };
}

/**
 * A member known only by display name (invite_members / remove_members list names, no ids):
 * - null name → "Deleted Account" with {@link syntheticDeletedUserId}(messageId, index);
 * - the actor's own name → the actor (someone who added themselves / left);
 * - a name that maps to exactly one user id elsewhere in the export (senders, actors, reactors) → that id;
 * - otherwise {@link syntheticUserIdFromName}(name).
 */
export function memberByName(
  name: string | null,
  position: { messageId: number; index: number },
  actor: User | undefined,
  ctx: SenderContext,
): User {
  if (name === null) {
    return userOf(syntheticDeletedUserId(position.messageId, position.index), null, ctx);
  }
  if (actor && actor.first_name === name && actor.id !== GROUP_ANONYMOUS_BOT.id && actor.id !== CHANNEL_BOT.id) {
    return actor;
  }
  return userOf(ctx.knownNames.get(name) ?? syntheticUserIdFromName(name), name, ctx);
}

/**
 * Display names that map to exactly one user id across the chat's senders (`from`/`from_id`),
 * actors (`actor`/`actor_id`) and reaction `recent` lists. Ambiguous names are left out.
 */
export function collectKnownNames(chat: ExportChat): Map<string, number> {
  const ids = new Map<string, Set<number>>();
  const note = (name: string | null | undefined, peerId: string | undefined): void => {
    if (!name || !peerId) return;
    const peer = parsePeerId(peerId);
    if (peer.kind !== 'user') return;
    const set = ids.get(name) ?? new Set<number>();
    set.add(peer.bareId);
    ids.set(name, set);
  };
  for (const message of chat.messages) {
    note(message.from, message.from_id);
    note(message.actor, message.actor_id);
    for (const reaction of message.reactions ?? []) {
      for (const recent of reaction.recent ?? []) note(recent.from, recent.from_id);
    }
  }
  const unique = new Map<string, number>();
  for (const [name, set] of ids) {
    if (set.size === 1) unique.set(name, [...set][0]);
  }
  return unique;
}
