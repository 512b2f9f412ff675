import {
  ChatMemberFactSchema,
  ChatSeenFactSchema,
  MessageFactSchema,
  ReactionCountFactSchema,
  ReactionFactSchema,
  StatsJob,
  type ChatMemberFact,
  type ChatSeenFact,
  type MessageFact,
  type ReactionCountFact,
  type ReactionFact,
} from '@kraken/contracts';
import { toChatMemberFact } from './chat-member-fact';
import { chatRef } from './chat-ref';
import { toMessageFact } from './message-fact';
import { toReactionCountFact, toReactionFact } from './reaction-facts';
import type { Update } from 'telegraf/types';

/** A stats job derived from one update. */
export type ClassifiedUpdate =
  | { job: typeof StatsJob.Message | typeof StatsJob.EditedMessage; fact: MessageFact }
  | { job: typeof StatsJob.ChatMember; fact: ChatMemberFact }
  | { job: typeof StatsJob.ChatSeen; fact: ChatSeenFact }
  | { job: typeof StatsJob.ReactionCount; fact: ReactionCountFact }
  | { job: typeof StatsJob.Reaction; fact: ReactionFact };

/** Thrown when an update of a known kind cannot be turned into a valid fact. */
export class UnreadableUpdateError extends Error {
  override name = 'UnreadableUpdateError';
}

/**
 * Turns a Bot API update into its stats job and validated fact; null for kinds (or chat_member changes)
 * that carry no stats fact. Used by the gateway's Telegraf handlers and by `kraken import`, so both
 * paths store identical facts. The update is typed as Telegram sends it, but a field missing or of
 * the wrong type (an imported file is not checked at the gateway's door) throws here, never later.
 * @throws UnreadableUpdateError when the update's payload is malformed.
 */
export function classifyUpdate(update: Update): ClassifiedUpdate | null {
  const id = update.update_id;
  try {
    if ('message' in update || 'channel_post' in update) {
      const message = 'message' in update ? update.message : update.channel_post;
      return { job: StatsJob.Message, fact: MessageFactSchema.parse(toMessageFact(id, message)) };
    }
    if ('edited_message' in update || 'edited_channel_post' in update) {
      const message = 'edited_message' in update ? update.edited_message : update.edited_channel_post;
      return { job: StatsJob.EditedMessage, fact: MessageFactSchema.parse(toMessageFact(id, message)) };
    }
    if ('chat_member' in update) {
      const fact = toChatMemberFact(id, update.chat_member);
      return fact && { job: StatsJob.ChatMember, fact: ChatMemberFactSchema.parse(fact) };
    }
    if ('my_chat_member' in update) {
      const change = update.my_chat_member;
      const fact = { updateId: id, chat: chatRef(change.chat), date: change.date, status: change.new_chat_member.status };
      return { job: StatsJob.ChatSeen, fact: ChatSeenFactSchema.parse(fact) };
    }
    if ('message_reaction_count' in update) {
      return { job: StatsJob.ReactionCount, fact: ReactionCountFactSchema.parse(toReactionCountFact(id, update.message_reaction_count)) };
    }
    if ('message_reaction' in update) {
      const fact = toReactionFact(id, update.message_reaction);
      return fact && { job: StatsJob.Reaction, fact: ReactionFactSchema.parse(fact) };
    }
    return null;
  } catch (error) {
    throw new UnreadableUpdateError(`update ${id}: ${error instanceof Error ? error.message.slice(0, 500) : String(error)}`);
  }
}
