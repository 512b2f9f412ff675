import { MAX_JOB_TEXT, type ForwardOrigin, type MessageFact, type Sender } from '@kraken/contracts';
import type { Chat, Message, User } from 'telegraf/types';
import { chatRef } from './chat-ref';
import { messageKind, messageText } from './message-kind';
import { displayName } from './names';

/**
 * The sender: `sender_chat` when present (anonymous group admins and channels post as a chat; the
 * `from` of such messages is a placeholder bot, https://core.telegram.org/bots/api#message), else `from`.
 */
export function senderOf(message: Message): Sender | null {
  const senderChat = message.sender_chat;
  if (senderChat) return { id: senderChat.id, kind: 'chat', name: displayName(senderChat), username: 'username' in senderChat ? senderChat.username : undefined, isBot: false };
  const from = message.from;
  if (!from) return null;
  return { id: from.id, kind: 'user', name: displayName(from), username: from.username, isBot: Boolean(from.is_bot) };
}

/**
 * The forward origin (https://core.telegram.org/bots/api#messageorigin) with a display title. The
 * origin's user, name or chat is read as possibly missing although the Bot API always sends it: the
 * gateway's door (update-schema) checks their types but requires none of them.
 */
export function forwardOriginOf(message: Message): ForwardOrigin | undefined {
  const origin = 'forward_origin' in message ? message.forward_origin : undefined;
  if (!origin) return undefined;
  switch (origin.type) {
    case 'user':
      return { type: 'user', title: displayName(origin.sender_user), id: origin.sender_user?.id, username: origin.sender_user?.username };
    case 'hidden_user':
      return { type: 'hidden_user', title: String(origin.sender_user_name ?? 'Hidden user').slice(0, 256) };
    case 'chat':
      return { type: 'chat', title: displayName(origin.sender_chat), id: origin.sender_chat?.id, username: usernameOf(origin.sender_chat) };
    case 'channel':
      return { type: 'channel', title: displayName(origin.chat), id: origin.chat?.id, username: usernameOf(origin.chat) };
    default:
      return undefined;
  }
}

/**
 * The id of the message this one replies to, or undefined. In forum supergroups every message of a
 * topic carries `reply_to_message` = the topic's root (forum_topic_created) message; that link is not a
 * reply to a person and is ignored: a message is a reply only when `reply_to_message` is not the
 * thread root (`is_topic_message` and reply id == `message_thread_id`) and not a forum_topic_created.
 */
export function replyToMessageId(message: Message): number | undefined {
  const reply = repliedMessageOf(message);
  if (!reply) return undefined;
  if ('forum_topic_created' in reply) return undefined;
  if (message.is_topic_message && reply.message_id === message.message_thread_id) return undefined;
  return reply.message_id;
}

/**
 * The message `message` replies to (`reply_to_message`, https://core.telegram.org/bots/api#message;
 * Telegram nests no further reply in it), or undefined. Topic roots included: see replyToMessageId.
 */
export function repliedMessageOf(message: Message): Message | undefined {
  return 'reply_to_message' in message ? message.reply_to_message : undefined;
}

/** A chat's @username, when its type has one (private chats, supergroups and channels). */
function usernameOf(chat: Chat | undefined): string | undefined {
  return chat && 'username' in chat ? chat.username : undefined;
}

function member(user: User): { id: number; name: string; isBot: boolean } {
  return { id: user.id, name: displayName(user), isBot: Boolean(user.is_bot) };
}

/**
 * Builds the `stats` job payload of a message, edited message, channel post or edited channel post.
 * Text beyond MAX_JOB_TEXT is cut (the length is kept exactly).
 */
export function toMessageFact(updateId: number, message: Message): MessageFact {
  const text = messageText(message);
  const newMembers = 'new_chat_members' in message ? message.new_chat_members : undefined;
  const left = 'left_chat_member' in message ? message.left_chat_member : undefined;
  const origin = forwardOriginOf(message);
  return {
    updateId,
    chat: chatRef(message.chat),
    messageId: message.message_id,
    date: message.date,
    sender: senderOf(message),
    kind: messageKind(message),
    ...(text ? { text: text.slice(0, MAX_JOB_TEXT) } : {}),
    textLength: text.length,
    replyToMessageId: replyToMessageId(message),
    threadId: typeof message.message_thread_id === 'number' ? message.message_thread_id : undefined,
    ...(origin ? { forwardOrigin: origin } : {}),
    ...(newMembers?.length ? { newChatMembers: newMembers.slice(0, 200).map(member) } : {}),
    ...(left ? { leftChatMember: member(left) } : {}),
    ...('edit_date' in message && typeof message.edit_date === 'number' ? { editDate: message.edit_date } : {}),
  };
}
