import { isInChat } from './chat-member-fact';

/** The parts of a ChatMember (https://core.telegram.org/bots/api#chatmember) the bot's own membership checks read. */
export interface BotChatMember {
  status: string;
  is_member?: boolean;
  /** ChatMemberRestricted: false when the bot may not send messages. */
  can_send_messages?: boolean;
  /** ChatMemberAdministrator in a channel: false when the bot may not post. */
  can_post_messages?: boolean;
}

/** A my_chat_member update's payload (ChatMemberUpdated, https://core.telegram.org/bots/api#chatmemberupdated), as far as read here. */
export interface BotMembershipChange {
  chat: { id: number; type: string; title?: string };
  from: { id: number; is_bot?: boolean; first_name?: string; last_name?: string; username?: string };
  date: number;
  old_chat_member: BotChatMember;
  new_chat_member: BotChatMember;
}

/**
 * What Kraken says after its own membership changed (my_chat_member):
 * - `hello` (in the group): it was added to a group or supergroup;
 * - `cannot-see` (in the group, addressing the adder): it is in the group as a plain member while its
 *   privacy mode is on (getMe `can_read_all_group_messages` false), so Telegram sends it commands and
 *   replies to it only — no "Кракен, …", nothing to count. Said when it joins that way or loses the
 *   view (demoted from administrator); administrators see every message
 *   (https://core.telegram.org/bots/features#privacy-mode);
 * - `cannot-write` (in private, to the adder): it is restricted from sending messages in the group;
 * - `cannot-post` (in private, to the adder): it is a channel administrator without `can_post_messages`,
 *   so approved memes and digests cannot be published there.
 * Each is said when the situation starts (joining, or a change of rights), not again on unrelated changes.
 */
export type BotMembershipNotice = 'hello' | 'cannot-see' | 'cannot-write' | 'cannot-post';

const isGroup = (type: string) => type === 'group' || type === 'supergroup';
const canWrite = (member: BotChatMember) => isInChat(member) && !(member.status === 'restricted' && member.can_send_messages === false);
const sees = (member: BotChatMember, canReadAll: boolean) => isInChat(member) && (member.status === 'administrator' || canReadAll);
const canPost = (member: BotChatMember) => member.status === 'administrator' && member.can_post_messages !== false;

/**
 * The notices for one change of the bot's membership (see BotMembershipNotice), in order.
 * @param canReadAllGroupMessages getMe's `can_read_all_group_messages` (privacy mode off)
 */
export function botMembershipNotices(change: BotMembershipChange, canReadAllGroupMessages: boolean): BotMembershipNotice[] {
  const before = change.old_chat_member;
  const after = change.new_chat_member;
  if (change.chat.type === 'channel') {
    return after.status === 'administrator' && !canPost(after) && (before.status !== 'administrator' || canPost(before)) ? ['cannot-post'] : [];
  }
  if (!isGroup(change.chat.type) || !isInChat(after)) return [];
  const joined = !isInChat(before);
  if (!canWrite(after)) return joined || canWrite(before) ? ['cannot-write'] : [];
  const notices: BotMembershipNotice[] = joined ? ['hello'] : [];
  if (!sees(after, canReadAllGroupMessages) && (joined || sees(before, canReadAllGroupMessages) || !canWrite(before))) notices.push('cannot-see');
  return notices;
}
