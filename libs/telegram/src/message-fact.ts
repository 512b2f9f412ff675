import { MAX_JOB_TEXT, type ForwardOrigin, type MessageFact, type Sender } from '@kraken/contracts';
import { chatRef } from './chat-ref';
import { type AnyMessage, messageKind, messageText } from './message-kind';
import { displayName, type Nameable } from './names';

type User = Nameable & { id: number; is_bot?: boolean };
type Chat = Nameable & { id: number; type: string };

/**
 * The sender: `sender_chat` when present (anonymous group admins and channels post as a chat; the
 * `from` of such messages is a placeholder bot, https://core.telegram.org/bots/api#message), else `from`.
 */
export function senderOf(message: AnyMessage): Sender | null {
  const senderChat = message.sender_chat as Chat | undefined;
  if (senderChat) return { id: senderChat.id, kind: 'chat', name: displayName(senderChat), username: senderChat.username, isBot: false };
  const from = message.from as User | undefined;
  if (!from) return null;
  return { id: from.id, kind: 'user', name: displayName(from), username: from.username, isBot: Boolean(from.is_bot) };
}

/** The forward origin (https://core.telegram.org/bots/api#messageorigin) with a display title. */
export function forwardOriginOf(message: AnyMessage): ForwardOrigin | undefined {
  const origin = message.forward_origin as Record<string, any> | undefined;
  if (!origin) return undefined;
  switch (origin.type) {
    case 'user':
      return { type: 'user', title: displayName(origin.sender_user), id: origin.sender_user?.id, username: origin.sender_user?.username };
    case 'hidden_user':
      return { type: 'hidden_user', title: String(origin.sender_user_name ?? 'Hidden user').slice(0, 256) };
    case 'chat':
      return { type: 'chat', title: displayName(origin.sender_chat), id: origin.sender_chat?.id, username: origin.sender_chat?.username };
    case 'channel':
      return { type: 'channel', title: displayName(origin.chat), id: origin.chat?.id, username: origin.chat?.username };
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
export function replyToMessageId(message: AnyMessage): number | undefined {
  const reply = message.reply_to_message as AnyMessage | undefined;
  if (!reply) return undefined;
  if (reply.forum_topic_created !== undefined) return undefined;
  if (message.is_topic_message && reply.message_id === message.message_thread_id) return undefined;
  return reply.message_id;
}

function member(user: User): { id: number; name: string; isBot: boolean } {
  return { id: user.id, name: displayName(user), isBot: Boolean(user.is_bot) };
}

/**
 * Builds the `stats` job payload of a message, edited message, channel post or edited channel post.
 * Text beyond MAX_JOB_TEXT is cut (the length is kept exactly).
 */
export function toMessageFact(updateId: number, message: AnyMessage): MessageFact {
  const text = messageText(message);
  const newMembers = message.new_chat_members as User[] | undefined;
  const left = message.left_chat_member as User | undefined;
  const origin = forwardOriginOf(message);
  return {
    updateId,
    chat: chatRef(message.chat as Chat),
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
    ...(typeof message.edit_date === 'number' ? { editDate: message.edit_date } : {}),
  };
}
