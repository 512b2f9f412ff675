import type { ReactionCountFact, ReactionFact } from '@kraken/contracts';
import type { MessageReactionCountUpdated, MessageReactionUpdated } from 'telegraf/types';
import { chatRef } from './chat-ref';

/**
 * A ReactionType as a stable key: the emoji itself, `custom:<id>` or `paid`. Structural rather than
 * Telegraf's ReactionType, which (@telegraf/types 7.1) predates the `paid` reaction.
 */
export function reactionKey(type: { type: string; emoji?: string; custom_emoji_id?: string }): string {
  if (type.type === 'emoji') return String(type.emoji);
  if (type.type === 'custom_emoji') return `custom:${type.custom_emoji_id}`;
  return type.type;
}

/** message_reaction_count → anonymous totals per reaction. */
export function toReactionCountFact(updateId: number, update: MessageReactionCountUpdated): ReactionCountFact {
  return {
    updateId,
    chat: chatRef(update.chat),
    messageId: update.message_id,
    date: update.date,
    reactions: (update.reactions ?? []).map((reaction) => ({ key: reactionKey(reaction.type), count: reaction.total_count })),
  };
}

/** message_reaction → the actor's (user or actor_chat) new reaction set. */
export function toReactionFact(updateId: number, update: MessageReactionUpdated): ReactionFact | null {
  const actorId = update.user?.id ?? update.actor_chat?.id;
  if (typeof actorId !== 'number') return null;
  return {
    updateId,
    chat: chatRef(update.chat),
    messageId: update.message_id,
    date: update.date,
    actorId,
    reactions: (update.new_reaction ?? []).map(reactionKey),
  };
}
