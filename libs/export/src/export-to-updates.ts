/**
 * An exported chat → the Bot API updates a bot in that chat would have received.
 *
 * For each export entry, in export order (entries that have no Bot API message are skipped, see
 * `message-draft.ts`):
 * 1. a `message` update (`channel_post` in channels) with the Message;
 * 2. if `edited_unixtime` is set: an `edited_message` (`edited_channel_post`) update with the same
 *    Message plus `edit_date` (the export keeps only the final text, so both carry it);
 * 3. if `reactions` map to anything: a `message_reaction_count` update (see `reactions.ts`; date =
 *    edit date, or message date, + 1 s).
 * `update_id`s are consecutive from `firstUpdateId`. Objects follow Bot API 10.1 field names
 * (checked against test/fixtures/telegram-bot-api/api.json in the tests).
 */
import type { Update } from 'telegraf/types';
import type { MessageDraft } from './bot-api-shapes';
import { botChatType, toBotChat } from './bot-chat';
import type { ExportChat } from './export-schema';
import { createTopicResolver } from './forum-topics';
import { buildMessageDraft, withoutReply } from './message-draft';
import { reactionCountUpdated } from './reactions';
import { collectKnownNames } from './senders';

/** An export entry that produced no update, and why. */
export interface SkippedExportMessage {
  /** The export message id. */
  messageId: number;
  reason: string;
}

/** Options of {@link exportChatToUpdates}. */
export interface ExportToUpdatesOptions {
  /** Bot API chat id to use instead of the derived one (`-100<id>` for supergroups and channels). */
  chatId?: number;
  /** `update_id` of the first update (default 1); the rest follow consecutively. */
  firstUpdateId?: number;
  /** User id of the bot itself: its messages in the export get `from.is_bot: true`. */
  botId?: number;
  /** Called for each export entry that produces no update (non-positive ids, unmappable actions ...). */
  onSkip?: (skipped: SkippedExportMessage) => void;
}

/**
 * Converts one exported chat into Bot API updates (see the module docstring for the order).
 *
 * @returns updates typed as telegraf's `Update`; they are plain JSON-serializable objects, ready to
 *   be POSTed to a webhook.
 * @throws Error for an unsupported chat type; RangeError when `firstUpdateId` is not a
 *   non-negative safe integer.
 */
export function exportChatToUpdates(chat: ExportChat, options: ExportToUpdatesOptions = {}): Update[] {
  const firstUpdateId = options.firstUpdateId ?? 1;
  if (!Number.isSafeInteger(firstUpdateId) || firstUpdateId < 0) {
    throw new RangeError(`firstUpdateId must be a non-negative integer, got ${firstUpdateId}`);
  }
  const type = botChatType(chat.type);
  const isForum = type === 'supergroup' && chat.messages.some((m) => m.type === 'service' && m.action === 'topic_created');
  const botChat = toBotChat(chat, options.chatId, isForum);
  const built = new Map<number, MessageDraft>();
  const ctx = {
    chat: botChat,
    botId: options.botId,
    exportChatId: Math.abs(chat.id),
    knownNames: collectKnownNames(chat),
    isForum,
    topics: createTopicResolver(chat.messages),
    built,
  };
  const isChannel = type === 'channel';
  const updates: Update[] = [];
  let updateId = firstUpdateId;
  const push = (body: Record<string, unknown>): void => {
    // telegraf's Update is a union keyed by content type; these objects follow the Bot API spec.
    updates.push({ update_id: updateId++, ...body } as unknown as Update);
  };

  for (const entry of chat.messages) {
    const result = buildMessageDraft(entry, ctx);
    if ('skip' in result) {
      options.onSkip?.({ messageId: entry.id, reason: result.skip });
      continue;
    }
    const message = result.message;
    built.set(entry.id, withoutReply(message));
    push({ [isChannel ? 'channel_post' : 'message']: message });
    let lastDate = message.date;
    if (entry.edited_unixtime !== undefined) {
      const editDate = Number(entry.edited_unixtime);
      lastDate = Math.max(lastDate, editDate);
      push({ [isChannel ? 'edited_channel_post' : 'edited_message']: { ...message, edit_date: editDate } });
    }
    if (entry.reactions?.length) {
      const counts = reactionCountUpdated(botChat, entry.id, lastDate + 1, entry.reactions);
      if (counts) push({ message_reaction_count: counts });
    }
  }
  return updates;
}
