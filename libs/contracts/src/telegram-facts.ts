import { z } from 'zod';

/**
 * Payloads of the `stats` queue: compact, validated facts derived from Bot API updates by the gateway
 * (see @kraken/telegram). Ids are numbers: Telegram ids fit in 52 bits
 * (https://core.telegram.org/bots/api#chat, "at most 52 significant bits"). Dates are Unix seconds.
 */
const id = z.number().int().safe();
const unixSeconds = z.number().int().nonnegative();

export const ChatRefSchema = z.object({
  id,
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
  title: z.string().max(256).optional(),
  username: z.string().max(64).optional(),
});
export type ChatRef = z.infer<typeof ChatRefSchema>;

/** Who sent a message: a user, or a chat posting as itself (sender_chat: anonymous admin, channel). */
export const SenderSchema = z.object({
  id,
  kind: z.enum(['user', 'chat']),
  name: z.string().max(256),
  username: z.string().max(64).optional(),
  isBot: z.boolean(),
});
export type Sender = z.infer<typeof SenderSchema>;

export const MESSAGE_KINDS = [
  'text',
  'photo',
  'video',
  'animation',
  'sticker',
  'voice',
  'video_note',
  'audio',
  'document',
  'poll',
  'story',
  'other',
] as const;
export const MessageKindSchema = z.enum(MESSAGE_KINDS);
export type MessageKind = z.infer<typeof MessageKindSchema>;

/** Forward origin (https://core.telegram.org/bots/api#messageorigin): type plus a display title/name. */
export const ForwardOriginSchema = z.object({
  type: z.enum(['user', 'hidden_user', 'chat', 'channel']),
  title: z.string().max(256),
  id: id.optional(),
  username: z.string().max(64).optional(),
});
export type ForwardOrigin = z.infer<typeof ForwardOriginSchema>;

/** A member joining or leaving, as carried by a service message. */
export const MemberChangeSchema = z.object({ id, name: z.string().max(256), isBot: z.boolean() });

/** Longest text kept in a job: Telegram's 4,096-character message limit plus slack for captions. */
export const MAX_JOB_TEXT = 4_096;

export const MessageFactSchema = z.object({
  updateId: z.number().int().nonnegative(),
  chat: ChatRefSchema,
  messageId: z.number().int().positive(),
  date: unixSeconds,
  sender: SenderSchema.nullable(),
  /** Null for service messages (joins, leaves, pins …), which are not counted as messages. */
  kind: MessageKindSchema.nullable(),
  text: z.string().max(MAX_JOB_TEXT).optional(),
  /** Length of text or caption in UTF-16 code units, as Telegram counts it. */
  textLength: z.number().int().nonnegative(),
  /** The replied-to message id when this is a reply to a message (not the forum-topic link). */
  replyToMessageId: z.number().int().positive().optional(),
  threadId: z.number().int().positive().optional(),
  forwardOrigin: ForwardOriginSchema.optional(),
  newChatMembers: z.array(MemberChangeSchema).max(200).optional(),
  leftChatMember: MemberChangeSchema.optional(),
  /** Set on edited_message / edited_channel_post. */
  editDate: unixSeconds.optional(),
});
export type MessageFact = z.infer<typeof MessageFactSchema>;

/** A chat_member update reduced to membership: did the user become a member, stop being one, or neither. */
export const ChatMemberFactSchema = z.object({
  updateId: z.number().int().nonnegative(),
  chat: ChatRefSchema,
  user: MemberChangeSchema,
  date: unixSeconds,
  transition: z.enum(['join', 'leave']),
  oldStatus: z.string().max(32),
  newStatus: z.string().max(32),
});
export type ChatMemberFact = z.infer<typeof ChatMemberFactSchema>;

/**
 * my_chat_member reduced to the chat: Kraken was added to, changed in or removed from it. Only the
 * chat is stored (`kraken chats` lists it before any message arrives, e.g. while privacy mode hides them).
 */
export const ChatSeenFactSchema = z.object({
  updateId: z.number().int().nonnegative(),
  chat: ChatRefSchema,
  date: unixSeconds,
  /** Kraken's new ChatMember status (member, administrator, left, kicked, restricted). */
  status: z.string().max(32),
});
export type ChatSeenFact = z.infer<typeof ChatSeenFactSchema>;

/** message_reaction_count: anonymous totals (https://core.telegram.org/bots/api#messagereactioncountupdated). */
export const ReactionCountFactSchema = z.object({
  updateId: z.number().int().nonnegative(),
  chat: ChatRefSchema,
  messageId: z.number().int().positive(),
  date: unixSeconds,
  reactions: z.array(z.object({ key: z.string().max(128), count: z.number().int().nonnegative() })).max(100),
});
export type ReactionCountFact = z.infer<typeof ReactionCountFactSchema>;

/** message_reaction: one actor's new reaction set (https://core.telegram.org/bots/api#messagereactionupdated). */
export const ReactionFactSchema = z.object({
  updateId: z.number().int().nonnegative(),
  chat: ChatRefSchema,
  messageId: z.number().int().positive(),
  date: unixSeconds,
  actorId: id,
  reactions: z.array(z.string().max(128)).max(100),
});
export type ReactionFact = z.infer<typeof ReactionFactSchema>;

/** Flow parent payload: which chat and day the child's getChatMemberCount result belongs to. */
export const MemberCountSnapshotSchema = z.object({
  chatId: id,
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
export type MemberCountSnapshot = z.infer<typeof MemberCountSnapshotSchema>;
