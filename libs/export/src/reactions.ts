/**
 * Export `reactions` → a Bot API `message_reaction_count` update body (MessageReactionCountUpdated).
 *
 * Reaction type mapping: `emoji` → `{type: 'emoji', emoji}`; `custom_emoji` →
 * `{type: 'custom_emoji', custom_emoji_id: document_id}` (dropped without document_id); `paid` →
 * `{type: 'paid'}`; `count` → `total_count`. Unknown types are dropped.
 *
 * Date: the export gives no time for the reaction totals. The `date` of `recent` entries is local
 * time of the exporting machine (no zone), so it cannot be converted reliably; this library uses
 * the message's last edit date, or its send date when never edited, plus 1 second.
 */
import type { Chat } from 'telegraf/types';
import type { MessageReactionCountShape, ReactionCountShape } from './bot-api-shapes';
import type { ExportReaction } from './export-schema';

/**
 * The reaction counts of one message, or undefined when none of its reactions maps.
 * @param date Unix seconds of the update (see the module docstring).
 */
export function reactionCountUpdated(
  chat: Chat,
  messageId: number,
  date: number,
  reactions: readonly ExportReaction[],
): MessageReactionCountShape | undefined {
  const counts: ReactionCountShape[] = [];
  for (const reaction of reactions) {
    const total_count = reaction.count;
    if (reaction.type === 'emoji' && reaction.emoji) {
      counts.push({ type: { type: 'emoji', emoji: reaction.emoji }, total_count });
    } else if (reaction.type === 'custom_emoji' && reaction.document_id !== undefined) {
      counts.push({ type: { type: 'custom_emoji', custom_emoji_id: String(reaction.document_id) }, total_count });
    } else if (reaction.type === 'paid') {
      counts.push({ type: { type: 'paid' }, total_count });
    }
  }
  return counts.length ? { chat, message_id: messageId, date, reactions: counts } : undefined;
}
