/**
 * One exported message → one Bot API Message (as a {@link MessageDraft}).
 *
 * Rules (the sub-rules live in the imported modules):
 * - skipped: ids ≤ 0 (Telegram Desktop gives those to messages of the basic group before its
 *   migration to a supergroup, e.g. create_group / migrate_to_supergroup; they have no Bot API
 *   counterpart in the supergroup), entries whose `type` is neither "message" nor "service" (e.g.
 *   "unsupported"), and unmappable service actions (`service-actions.ts`);
 * - `date` = Number(date_unixtime) (UTC seconds; the export's `date` is local time);
 * - sender: `from_id`/`from` for messages, `actor_id`/`actor` for service messages (`senders.ts`);
 * - text: `text`/`entities`, or `caption`/`caption_entities` when the message has media
 *   (`text-entities.ts`, `media.ts`); empty text and empty entity lists are omitted;
 * - forum threads (`forum-topics.ts`): a message in topic T gets `message_thread_id: T` and
 *   `is_topic_message: true`; a topic's root (`forum_topic_created`) is in its own topic;
 * - `reply_to_message`: the target Message as already converted, without its own
 *   `reply_to_message` (Bot API: "will not contain further reply_to_message fields"). In a forum
 *   a plain topic message thus replies to the topic's `forum_topic_created` message, as Telegram
 *   sends it. Absent when the target is not in the export or was skipped, and for replies to
 *   another chat (`reply_to_peer_id`);
 * - `forward_origin` from `forwarded_from` / `forwarded_from_id`: `user<id>` → user origin,
 *   `channel<id>` → channel origin (`message_id: 1`: the original id is not exported), `chat<id>` →
 *   chat origin, no id → hidden_user origin. `date` is the forwarding message's own date: the
 *   export does not keep the original date;
 * - `author` → `author_signature`.
 */
import type { MessageDraft, MessageOriginShape } from './bot-api-shapes';
import type { ExportMessage } from './export-schema';
import type { TopicResolver } from './forum-topics';
import { hasMedia, mediaFields } from './media';
import { senderFields, userOf, type SenderContext } from './senders';
import { serviceFields } from './service-actions';
import { botApiPeerId, parsePeerId } from './telegram-ids';
import { formattedText } from './text-entities';

/** Per-chat state for building messages. */
export interface DraftContext extends SenderContext {
  /** Whether the chat is a forum (has topic_created messages). */
  isForum: boolean;
  topics: TopicResolver;
  /** Messages converted so far, by id, without their reply_to_message. */
  built: ReadonlyMap<number, MessageDraft>;
}

/** A converted message, or why the export entry has no Bot API message. */
export type DraftResult = { message: MessageDraft } | { skip: string };

/** Converts one exported message (see the module docstring). */
export function buildMessageDraft(message: ExportMessage, ctx: DraftContext): DraftResult {
  if (message.id <= 0) {
    return { skip: 'non-positive id: a basic-group message from before the migration to a supergroup' };
  }
  if (message.type !== 'message' && message.type !== 'service') {
    return { skip: `export entry type "${message.type}" has no Bot API counterpart` };
  }
  const isService = message.type === 'service';
  const date = Number(message.date_unixtime);
  const sender = isService ? senderFields(message.actor_id, message.actor, ctx) : senderFields(message.from_id, message.from, ctx);

  let body: Partial<MessageDraft>;
  if (isService) {
    const actor = message.actor_id?.startsWith('user') ? sender.from : undefined;
    const service = serviceFields(message, {
      ...ctx,
      actor,
      findMessage: (id) => ctx.built.get(id),
    });
    if ('skip' in service) return service;
    body = service.fields;
  } else {
    body = contentFields(message, ctx);
  }

  const topic = ctx.isForum ? ctx.topics.topicOf(message) : undefined;
  const target = message.reply_to_peer_id === undefined && message.reply_to_message_id !== undefined
    ? ctx.built.get(message.reply_to_message_id)
    : undefined;
  const origin = isService ? undefined : forwardOrigin(message, date, ctx);

  const draft: MessageDraft = {
    message_id: message.id,
    ...(topic !== undefined ? { message_thread_id: topic } : {}),
    ...sender,
    date,
    chat: ctx.chat,
    ...(origin ? { forward_origin: origin } : {}),
    ...(topic !== undefined ? { is_topic_message: true as const } : {}),
    ...(target ? { reply_to_message: target } : {}),
    ...(message.author ? { author_signature: message.author } : {}),
    ...body,
  };
  return { message: draft };
}

/** A draft without its reply_to_message, as it appears inside other messages. */
export function withoutReply(draft: MessageDraft): MessageDraft {
  const { reply_to_message: _omitted, ...rest } = draft;
  return rest;
}

function contentFields(message: ExportMessage, ctx: SenderContext): Partial<MessageDraft> {
  const { text, entities } = formattedText(message, (id, name) => userOf(id, name, ctx));
  const media = mediaFields(message, ctx.chat.id);
  if (hasMedia(message)) {
    return {
      ...media,
      ...(text ? { caption: text } : {}),
      ...(entities.length ? { caption_entities: entities } : {}),
    };
  }
  return { ...(text ? { text } : {}), ...(entities.length ? { entities } : {}) };
}

function forwardOrigin(message: ExportMessage, date: number, ctx: SenderContext): MessageOriginShape | undefined {
  if (message.forwarded_from === undefined && message.forwarded_from_id === undefined) return undefined;
  const name = message.forwarded_from;
  if (message.forwarded_from_id === undefined) {
    return { type: 'hidden_user', date, sender_user_name: name || 'Deleted Account' };
  }
  const peer = parsePeerId(message.forwarded_from_id);
  if (peer.kind === 'user') return { type: 'user', date, sender_user: userOf(peer.bareId, name, ctx) };
  if (peer.kind === 'chat') {
    return { type: 'chat', date, sender_chat: { id: botApiPeerId(peer), type: 'group', title: name || 'Group' } };
  }
  return {
    type: 'channel',
    date,
    chat: { id: botApiPeerId(peer), type: 'channel', title: name || 'Deleted Channel' },
    message_id: 1,
  };
}
