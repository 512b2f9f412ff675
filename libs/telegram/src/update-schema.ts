import { z } from 'zod';

/**
 * The parts of a Bot API Update (https://core.telegram.org/bots/api#update) that Kraken reads, as zod
 * schemas: every field a handler or a fact reads is checked for its Bot API type; everything else
 * passes unchecked (loose objects), so fields Telegram adds later never make an update invalid.
 * Optional fields are optional here too; a required one missing, or any checked field of the wrong
 * type (a string `message_id`, a `reply_to_message` without a chat, an entity without an offset …),
 * makes the update malformed. Used by the gateway to acknowledge and ignore malformed updates before
 * any handler sees them, and by the webhook's property test to generate valid updates.
 */
const int = z.number().int().safe();
const nonNegative = int.nonnegative();
/**
 * A message or topic id: a positive 32-bit integer (MTProto's `int`; Kraken's tables store it as
 * PostgreSQL `integer`), so a forged larger id is refused at the door instead of failing its job.
 */
const messageId = z.number().int().min(1).max(2 ** 31 - 1);
const text = z.string();

/** User (https://core.telegram.org/bots/api#user). */
export const UserSchema = z.looseObject({
  id: int,
  is_bot: z.boolean().optional(),
  first_name: text.optional(),
  last_name: text.optional(),
  username: text.optional(),
});

/** Chat (https://core.telegram.org/bots/api#chat). */
export const ChatSchema = z.looseObject({
  id: int,
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
  title: text.optional(),
  username: text.optional(),
  first_name: text.optional(),
  last_name: text.optional(),
  is_forum: z.boolean().optional(),
});

/** MessageEntity (https://core.telegram.org/bots/api#messageentity). */
export const MessageEntitySchema = z.looseObject({
  type: text,
  offset: nonNegative,
  length: nonNegative,
  url: text.optional(),
  user: UserSchema.optional(),
});

/** A file of a message (PhotoSize, Video, Animation, Document …): its ids. */
const FileSchema = z.looseObject({ file_id: text, file_unique_id: text });

/** MessageOrigin of a forward (https://core.telegram.org/bots/api#messageorigin). */
export const MessageOriginSchema = z.looseObject({
  type: text,
  date: nonNegative,
  sender_user: UserSchema.optional(),
  sender_user_name: text.optional(),
  sender_chat: ChatSchema.optional(),
  chat: ChatSchema.optional(),
});

/** The fields of a Message Kraken reads, without `reply_to_message`. */
const messageFields = {
  message_id: messageId,
  date: nonNegative,
  chat: ChatSchema,
  from: UserSchema.optional(),
  sender_chat: ChatSchema.optional(),
  message_thread_id: messageId.optional(),
  is_topic_message: z.boolean().optional(),
  edit_date: nonNegative.optional(),
  text: text.optional(),
  caption: text.optional(),
  entities: z.array(MessageEntitySchema).optional(),
  caption_entities: z.array(MessageEntitySchema).optional(),
  forward_origin: MessageOriginSchema.optional(),
  new_chat_members: z.array(UserSchema).optional(),
  left_chat_member: UserSchema.optional(),
  photo: z.array(FileSchema).optional(),
  animation: FileSchema.optional(),
  video: FileSchema.optional(),
  sticker: FileSchema.optional(),
  voice: FileSchema.optional(),
  video_note: FileSchema.optional(),
  audio: FileSchema.optional(),
  document: FileSchema.optional(),
  poll: z.looseObject({}).optional(),
  story: z.looseObject({}).optional(),
  forum_topic_created: z.looseObject({}).optional(),
};

/** A Message as it appears in `reply_to_message` (Telegram nests no further reply there). */
export const RepliedMessageSchema = z.looseObject(messageFields);

/** Message (https://core.telegram.org/bots/api#message). */
export const MessageSchema = z.looseObject({ ...messageFields, reply_to_message: RepliedMessageSchema.optional() });

/** ChatMember (https://core.telegram.org/bots/api#chatmember): status and user. */
export const ChatMemberSchema = z.looseObject({
  status: z.enum(['creator', 'administrator', 'member', 'restricted', 'left', 'kicked']),
  user: UserSchema,
  is_member: z.boolean().optional(),
});

/** ChatMemberUpdated (https://core.telegram.org/bots/api#chatmemberupdated). */
export const ChatMemberUpdatedSchema = z.looseObject({
  chat: ChatSchema,
  from: UserSchema,
  date: nonNegative,
  old_chat_member: ChatMemberSchema,
  new_chat_member: ChatMemberSchema,
});

/** ReactionType (https://core.telegram.org/bots/api#reactiontype). */
export const ReactionTypeSchema = z.looseObject({ type: text, emoji: text.optional(), custom_emoji_id: text.optional() });

/** MessageReactionUpdated (https://core.telegram.org/bots/api#messagereactionupdated). */
export const MessageReactionUpdatedSchema = z.looseObject({
  chat: ChatSchema,
  message_id: messageId,
  date: nonNegative,
  user: UserSchema.optional(),
  actor_chat: ChatSchema.optional(),
  old_reaction: z.array(ReactionTypeSchema),
  new_reaction: z.array(ReactionTypeSchema),
});

/** MessageReactionCountUpdated (https://core.telegram.org/bots/api#messagereactioncountupdated). */
export const MessageReactionCountUpdatedSchema = z.looseObject({
  chat: ChatSchema,
  message_id: messageId,
  date: nonNegative,
  reactions: z.array(z.looseObject({ type: ReactionTypeSchema, total_count: z.number().int().min(0).max(2 ** 31 - 1) })),
});

/** CallbackQuery (https://core.telegram.org/bots/api#callbackquery); `message` may be inaccessible (date 0). */
export const CallbackQuerySchema = z.looseObject({
  id: text,
  from: UserSchema,
  chat_instance: text.optional(),
  data: text.optional(),
  message: z.looseObject({ message_id: messageId, date: nonNegative, chat: ChatSchema }).optional(),
});

/** The schema of each update kind Kraken subscribes to (ALLOWED_UPDATES), by field name. */
export const UPDATE_KIND_SCHEMAS = {
  message: MessageSchema,
  edited_message: MessageSchema,
  channel_post: MessageSchema,
  edited_channel_post: MessageSchema,
  chat_member: ChatMemberUpdatedSchema,
  my_chat_member: ChatMemberUpdatedSchema,
  message_reaction: MessageReactionUpdatedSchema,
  message_reaction_count: MessageReactionCountUpdatedSchema,
  callback_query: CallbackQuerySchema,
} as const;

/** An update kind Kraken subscribes to. */
export type UpdateKind = keyof typeof UPDATE_KIND_SCHEMAS;

/** Why an update is malformed: its kind and the paths of the fields that failed (never their values). */
export interface UpdateProblem {
  kind: UpdateKind;
  /** Dotted paths such as `message.reply_to_message.chat`, at most five. */
  paths: string[];
}

/**
 * Checks the payload of each subscribed kind present in `update` against its schema.
 * @returns null when every present kind is well-formed (kinds Kraken does not use are not checked),
 *   else the first malformed kind and the failing paths
 */
export function findUpdateProblem(update: Record<string, unknown>): UpdateProblem | null {
  for (const [kind, schema] of Object.entries(UPDATE_KIND_SCHEMAS) as Array<[UpdateKind, z.ZodType]>) {
    if (!(kind in update)) continue;
    const result = schema.safeParse(update[kind]);
    if (!result.success) {
      return { kind, paths: [...new Set(result.error.issues.map((issue) => [kind, ...issue.path.map(String)].join('.')))].slice(0, 5) };
    }
  }
  return null;
}
