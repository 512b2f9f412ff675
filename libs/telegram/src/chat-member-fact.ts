import type { ChatMemberFact } from '@kraken/contracts';
import type { ChatMemberUpdated } from 'telegraf/types';
import { chatRef } from './chat-ref';
import { displayName } from './names';

/** The parts of a ChatMember (https://core.telegram.org/bots/api#chatmember) membership depends on. */
interface Membership {
  status: string;
  is_member?: boolean;
}

/**
 * Whether a ChatMember is "in" the chat: creator, administrator and member are; restricted users are
 * when `is_member` is true; left and kicked are not (https://core.telegram.org/bots/api#chatmember).
 */
export function isInChat(member: Membership): boolean {
  if (member.status === 'restricted') return Boolean(member.is_member);
  return member.status === 'creator' || member.status === 'administrator' || member.status === 'member';
}

/**
 * Reduces a chat_member update (ChatMemberUpdated) to a join or leave; null when membership did not
 * change (promotions, restrictions of a member …).
 */
export function toChatMemberFact(updateId: number, updated: ChatMemberUpdated): ChatMemberFact | null {
  const before = isInChat(updated.old_chat_member);
  const after = isInChat(updated.new_chat_member);
  if (before === after) return null;
  const user = updated.new_chat_member.user;
  return {
    updateId,
    chat: chatRef(updated.chat),
    user: { id: user.id, name: displayName(user), isBot: Boolean(user.is_bot) },
    date: updated.date,
    transition: after ? 'join' : 'leave',
    oldStatus: updated.old_chat_member.status,
    newStatus: updated.new_chat_member.status,
  };
}
