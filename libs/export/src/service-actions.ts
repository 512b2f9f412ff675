/**
 * Export service `action`s → Bot API service fields of a Message.
 *
 * | export action (Telegram Desktop)   | Bot API Message field                                      |
 * |------------------------------------|------------------------------------------------------------|
 * | join_group_by_link / _by_request   | new_chat_members: [the actor]                              |
 * | invite_members                     | new_chat_members: one User per listed name (see senders.ts)|
 * | remove_members                     | left_chat_member: the listed member (the actor when it is  |
 * |                                    | their own name: they left)                                 |
 * | topic_created                      | forum_topic_created {name: title, icon_color: 7322096}     |
 * | topic_edit                         | forum_topic_edited {name?, icon_custom_emoji_id?}          |
 * | pin_message                        | pinned_message: the pinned Message, or InaccessibleMessage |
 * | edit_group_photo / delete_group_photo | new_chat_photo / delete_chat_photo                      |
 * | edit_group_title                   | new_chat_title                                             |
 * | create_group / create_channel      | group_chat_created / channel_chat_created                  |
 * | set_messages_ttl                   | message_auto_delete_timer_changed                          |
 * | group_call (with / without duration) | video_chat_ended / video_chat_started                    |
 * | group_call_scheduled               | video_chat_scheduled                                       |
 * | invite_to_group_call               | video_chat_participants_invited                            |
 *
 * Skipped (no update), with the reason returned to the caller:
 * - migrate_to_supergroup / migrate_from_group: the other chat's id, required by Bot API
 *   `migrate_to_chat_id` / `migrate_from_chat_id`, is not in the export;
 * - topic_edit with neither a new title nor an icon (Telegram Desktop exports topic close / reopen /
 *   hide this way without saying which);
 * - any other action (phone calls, payments, screenshots, gifts ...): no Bot API service message,
 *   or not one a group bot receives.
 * Notes: Telegram Desktop writes exactly one member for remove_members (its ActionChatDeleteUser
 * holds one user); should a list hold more, only the first becomes `left_chat_member` (one Message
 * has one such field). The export has no topic icon colour: 7322096 (0x6FB9F0) is Telegram's default,
 * one of the six colours the Bot API allows in createForumTopic.
 */
import type { InaccessibleMessage, User } from 'telegraf/types';
import type { MessageDraft, MessageService } from './bot-api-shapes';
import type { ExportMessage } from './export-schema';
import { photoSizes } from './media';
import { memberByName, type SenderContext } from './senders';

/** Default forum topic icon colour (RGB 0x6FB9F0). */
export const DEFAULT_TOPIC_ICON_COLOR = 7322096;

/** Service fields to put on the message, or the reason the message is skipped. */
export type ServiceResult = { fields: MessageService } | { skip: string };

/** What service mapping needs besides the message. */
export interface ServiceContext extends SenderContext {
  /** The actor as a Bot API User (`from` of the service message), undefined when unknown. */
  actor: User | undefined;
  /** An already converted message of the chat, for pinned_message. */
  findMessage(messageId: number): MessageDraft | undefined;
}

/** Maps one exported service message (see the module docstring for the table). */
export function serviceFields(message: ExportMessage, ctx: ServiceContext): ServiceResult {
  const action = message.action ?? '(none)';
  const members = (message.members ?? []).map((name, index) =>
    memberByName(name, { messageId: message.id, index }, ctx.actor, ctx),
  );
  switch (action) {
    case 'join_group_by_link':
    case 'join_group_by_request':
      return ctx.actor ? { fields: { new_chat_members: [ctx.actor] } } : { skip: `${action} without an actor` };
    case 'invite_members':
      return members.length ? { fields: { new_chat_members: members } } : { skip: 'invite_members without members' };
    case 'remove_members':
      return members.length ? { fields: { left_chat_member: members[0] } } : { skip: 'remove_members without members' };
    case 'topic_created':
      return { fields: { forum_topic_created: { name: message.title ?? '', icon_color: DEFAULT_TOPIC_ICON_COLOR } } };
    case 'topic_edit':
      return topicEdited(message);
    case 'pin_message':
      return message.message_id === undefined
        ? { skip: 'pin_message without message_id' }
        : { fields: { pinned_message: pinned(message.message_id, ctx) } };
    case 'edit_group_photo':
      return {
        fields: {
          new_chat_photo: photoSizes(ctx.chat.id, message.id, message.width, message.height, message.photo_file_size),
        },
      };
    case 'delete_group_photo':
      return { fields: { delete_chat_photo: true } };
    case 'edit_group_title':
      return message.title === undefined ? { skip: 'edit_group_title without title' } : { fields: { new_chat_title: message.title } };
    case 'create_group':
      return { fields: { group_chat_created: true } };
    case 'create_channel':
      return { fields: { channel_chat_created: true } };
    case 'set_messages_ttl':
      return { fields: { message_auto_delete_timer_changed: { message_auto_delete_time: message.period ?? 0 } } };
    case 'group_call':
      return message.duration !== undefined
        ? { fields: { video_chat_ended: { duration: message.duration } } }
        : { fields: { video_chat_started: {} } };
    case 'group_call_scheduled':
      return message.schedule_date === undefined
        ? { skip: 'group_call_scheduled without schedule_date' }
        : { fields: { video_chat_scheduled: { start_date: message.schedule_date } } };
    case 'invite_to_group_call':
      return { fields: { video_chat_participants_invited: { users: members } } };
    case 'migrate_to_supergroup':
    case 'migrate_from_group':
      return { skip: `${action}: the other chat's id is not in the export` };
    default:
      return { skip: `action "${action}" has no Bot API service message` };
  }
}

function topicEdited(message: ExportMessage): ServiceResult {
  const edited: { name?: string; icon_custom_emoji_id?: string } = {};
  if (message.new_title !== undefined) edited.name = message.new_title;
  if (message.new_icon_emoji_id !== undefined) {
    // 0 means the icon was removed; the Bot API says "an empty string if the icon was removed".
    const id = String(message.new_icon_emoji_id);
    edited.icon_custom_emoji_id = id === '0' ? '' : id;
  }
  if (edited.name === undefined && edited.icon_custom_emoji_id === undefined) {
    return { skip: 'topic_edit without a new title or icon (close/reopen/hide is not distinguishable)' };
  }
  return { fields: { forum_topic_edited: edited } };
}

/** The pinned message as Telegram sends it (no nested reply_to_message), or an InaccessibleMessage. */
function pinned(messageId: number, ctx: ServiceContext): MessageDraft | InaccessibleMessage {
  const target = ctx.findMessage(messageId);
  if (!target) return { chat: ctx.chat, message_id: messageId, date: 0 };
  const { reply_to_message: _omitted, ...withoutReply } = target;
  return withoutReply;
}
