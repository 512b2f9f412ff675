import type { MessageKind } from '@kraken/contracts';
import type { Message } from 'telegraf/types';

/**
 * A field of a message read by name, as `unknown`: only its presence is read. Some of these fields
 * are newer than the Bot API version of Telegraf's typings (`refunded_payment`, `chat_background_set`
 * are not in @telegraf/types 7.1), and their values are not checked at the door (update-schema), so
 * a hostile update may carry anything there.
 */
const fieldOf = (message: Message, field: string): unknown => (message as unknown as Partial<Record<string, unknown>>)[field];

/** Media fields checked in this order; the first present one names the kind. `story` wins over text. */
const MEDIA_KINDS: Array<[field: string, kind: MessageKind]> = [
  ['story', 'story'],
  ['photo', 'photo'],
  ['video', 'video'],
  ['animation', 'animation'],
  ['sticker', 'sticker'],
  ['voice', 'voice'],
  ['video_note', 'video_note'],
  ['audio', 'audio'],
  ['document', 'document'],
  ['poll', 'poll'],
];

/**
 * Fields whose presence makes a message a service message (joins, leaves, pins, topic events …), which
 * Kraken does not count as a message. From the Bot API Message type's service fields.
 */
const SERVICE_FIELDS = [
  'new_chat_members',
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'group_chat_created',
  'supergroup_chat_created',
  'channel_chat_created',
  'message_auto_delete_timer_changed',
  'migrate_to_chat_id',
  'migrate_from_chat_id',
  'pinned_message',
  'successful_payment',
  'refunded_payment',
  'users_shared',
  'chat_shared',
  'connected_website',
  'write_access_allowed',
  'proximity_alert_triggered',
  'boost_added',
  'chat_background_set',
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'general_forum_topic_hidden',
  'general_forum_topic_unhidden',
  'giveaway_created',
  'giveaway_completed',
  'video_chat_scheduled',
  'video_chat_started',
  'video_chat_ended',
  'video_chat_participants_invited',
  'web_app_data',
];

/** True when the message is a service message (see SERVICE_FIELDS). */
export function isServiceMessage(message: Message): boolean {
  return SERVICE_FIELDS.some((field) => fieldOf(message, field) !== undefined);
}

/**
 * The message's kind: `text`, a media kind, `poll`, `story`, or `other` (dice, contact, location,
 * venue, game, invoice, paid media …). Returns null for service messages.
 */
export function messageKind(message: Message): MessageKind | null {
  if (isServiceMessage(message)) return null;
  for (const [field, kind] of MEDIA_KINDS) if (fieldOf(message, field) !== undefined) return kind;
  return 'text' in message && typeof message.text === 'string' ? 'text' : 'other';
}

/** Text or caption of a message ('' when none). */
export function messageText(message: Message): string {
  if ('text' in message && typeof message.text === 'string') return message.text;
  if ('caption' in message && typeof message.caption === 'string') return message.caption;
  return '';
}
