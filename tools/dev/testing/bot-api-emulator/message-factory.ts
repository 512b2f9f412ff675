import type { EmulatorState } from './emulator-state';
import type { FormattedText } from './message-entity';
import { type MediaSource, fileDescription, fileIds, photoSizes } from './media-files';

/** Media kinds the emulator renders into Message fields. */
export type MediaKind = 'photo' | 'video' | 'animation' | 'document' | 'audio' | 'live_photo';

/**
 * A new Message (https://core.telegram.org/bots/api#message) sent by the bot into `chatId`:
 * next message_id of that chat, `date` = now in Unix seconds, `from` = the bot (channels get
 * `sender_chat` instead, as channel posts have no author), plus thread, reply and inline-keyboard
 * fields echoed from the request, then `content` (text, media…).
 */
export function newMessage(
  state: EmulatorState,
  chatId: unknown,
  content: Record<string, unknown>,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const chat = state.chats.chat(chatId);
  const date = Math.floor(state.nowMs() / 1000);
  const message: Record<string, unknown> = { message_id: state.chats.nextMessageId(chat.id) };
  if (typeof params.message_thread_id === 'number') message.message_thread_id = params.message_thread_id;
  if (chat.type === 'channel') message.sender_chat = chat;
  else message.from = state.bot;
  message.chat = chat;
  message.date = date;
  const replyTo = (params.reply_parameters as { message_id?: unknown } | undefined)?.message_id ?? params.reply_to_message_id;
  if (typeof replyTo === 'number') message.reply_to_message = { message_id: replyTo, chat, date };
  Object.assign(message, content);
  const markup = inlineKeyboard(params.reply_markup);
  if (markup) message.reply_markup = markup;
  return message;
}

/** The reply_markup a Message carries: only inline keyboards are part of messages. */
export function inlineKeyboard(markup: unknown): Record<string, unknown> | undefined {
  return markup && typeof markup === 'object' && 'inline_keyboard' in markup ? (markup as Record<string, unknown>) : undefined;
}

/** `text` and `entities` fields of a text message. */
export function textFields(formatted: FormattedText | undefined): Record<string, unknown> {
  if (!formatted) return {};
  return formatted.entities.length > 0 ? { text: formatted.text, entities: formatted.entities } : { text: formatted.text };
}

/** `caption` and `caption_entities` fields of a media message. */
export function captionFields(formatted: FormattedText | undefined): Record<string, unknown> {
  if (!formatted) return {};
  return formatted.entities.length > 0
    ? { caption: formatted.text, caption_entities: formatted.entities }
    : { caption: formatted.text };
}

/**
 * The Message field(s) for a sent file: `photo` (PhotoSize[]), `video`, `animation` (plus the
 * `document` Telegram adds to animations), `document`, `audio`. Width/height/duration come from
 * the request when given.
 */
export function mediaFields(kind: MediaKind, source: MediaSource, params: Record<string, unknown>): Record<string, unknown> {
  const ids = fileIds(source);
  const described = fileDescription(source);
  const width = typeof params.width === 'number' ? params.width : 1280;
  const height = typeof params.height === 'number' ? params.height : 720;
  const duration = typeof params.duration === 'number' ? params.duration : 1;
  switch (kind) {
    case 'photo':
    case 'live_photo':
      return { photo: photoSizes(source) };
    case 'video':
      return { video: { ...ids, width, height, duration, mime_type: described.mime_type ?? 'video/mp4' } };
    case 'animation': {
      const animation = { ...ids, width, height, duration, ...described };
      return { animation, document: { ...ids, ...described } };
    }
    case 'audio':
      return { audio: { ...ids, duration, ...described } };
    case 'document':
      return { document: { ...ids, ...described } };
  }
}
