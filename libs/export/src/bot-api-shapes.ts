/**
 * The Bot API object shapes this library builds, typed with `telegraf/types` (Bot API 7.1 typings)
 * where those match the current Bot API spec, and declared here where the spec has moved on
 * (Bot API 10.1, `test/fixtures/telegram-bot-api/api.json`): paid reactions, poll fields
 * `allows_revoting` / `members_only`, `PollOption.persistent_id`, and `MessageOrigin.date`.
 *
 * A {@link MessageDraft} is converted to telegraf's `Message` only at the edge (in
 * `export-to-updates.ts`): telegraf's `Message` is a union of per-content interfaces that a
 * field-by-field builder cannot name without casting anyway.
 */
import type {
  Animation,
  Audio,
  Chat,
  Contact,
  Document,
  ForumTopicCreated,
  ForumTopicEdited,
  InaccessibleMessage,
  Location,
  MessageAutoDeleteTimerChanged,
  MessageEntity,
  PhotoSize,
  Sticker,
  User,
  Venue,
  Video,
  VideoChatEnded,
  VideoChatParticipantsInvited,
  VideoChatScheduled,
  VideoChatStarted,
  VideoNote,
  Voice,
} from 'telegraf/types';

/** Bot API `MessageOrigin` (user, hidden_user, chat, channel); all carry the original `date`. */
export type MessageOriginShape =
  | { type: 'user'; date: number; sender_user: User }
  | { type: 'hidden_user'; date: number; sender_user_name: string }
  | { type: 'chat'; date: number; sender_chat: Chat; author_signature?: string }
  | { type: 'channel'; date: number; chat: Chat; message_id: number; author_signature?: string };

/** Bot API `PollOption` as of 10.1 (adds the required `persistent_id`). */
export interface PollOptionShape {
  persistent_id: string;
  text: string;
  voter_count: number;
}

/** Bot API `Poll` as of 10.1 (adds the required `allows_revoting` and `members_only`). */
export interface PollShape {
  id: string;
  question: string;
  options: PollOptionShape[];
  total_voter_count: number;
  is_closed: boolean;
  is_anonymous: boolean;
  type: 'regular' | 'quiz';
  allows_multiple_answers: boolean;
  allows_revoting: boolean;
  members_only: boolean;
}

/** Bot API `ReactionType`: emoji, custom emoji, or paid (Telegram Stars). */
export type ReactionTypeShape =
  | { type: 'emoji'; emoji: string }
  | { type: 'custom_emoji'; custom_emoji_id: string }
  | { type: 'paid' };

/** Bot API `ReactionCount`. */
export interface ReactionCountShape {
  type: ReactionTypeShape;
  total_count: number;
}

/** Bot API `MessageReactionCountUpdated` (the `message_reaction_count` update). */
export interface MessageReactionCountShape {
  chat: Chat;
  message_id: number;
  date: number;
  reactions: ReactionCountShape[];
}

/** Content fields of a message: text or one media kind with its caption. */
export interface MessageContent {
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  photo?: PhotoSize[];
  document?: Document;
  sticker?: Sticker;
  video?: Video;
  animation?: Animation;
  voice?: Voice;
  video_note?: VideoNote;
  audio?: Audio;
  poll?: PollShape;
  contact?: Contact;
  location?: Location;
  venue?: Venue;
}

/** Service fields of a message (Bot API Message, "Service message: ..." fields). */
export interface MessageService {
  new_chat_members?: User[];
  left_chat_member?: User;
  new_chat_title?: string;
  new_chat_photo?: PhotoSize[];
  delete_chat_photo?: true;
  group_chat_created?: true;
  channel_chat_created?: true;
  message_auto_delete_timer_changed?: MessageAutoDeleteTimerChanged;
  pinned_message?: MessageDraft | InaccessibleMessage;
  forum_topic_created?: ForumTopicCreated;
  forum_topic_edited?: ForumTopicEdited;
  video_chat_scheduled?: VideoChatScheduled;
  video_chat_started?: VideoChatStarted;
  video_chat_ended?: VideoChatEnded;
  video_chat_participants_invited?: VideoChatParticipantsInvited;
}

/** A Bot API `Message` as built by this library (field names exactly as in the spec). */
export interface MessageDraft extends MessageContent, MessageService {
  message_id: number;
  message_thread_id?: number;
  from?: User;
  sender_chat?: Chat;
  date: number;
  chat: Chat;
  forward_origin?: MessageOriginShape;
  is_topic_message?: true;
  reply_to_message?: MessageDraft;
  edit_date?: number;
  author_signature?: string;
}
