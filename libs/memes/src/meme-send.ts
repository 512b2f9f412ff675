import type { OutboxCall } from '@kraken/contracts';
import type { MemeMediaKind } from './meme-record';

/** Bot API method and file parameter sending each meme kind (https://core.telegram.org/bots/api#sendphoto, #sendvideo, #sendanimation). */
const SEND: Record<MemeMediaKind, { method: string; field: string }> = {
  photo: { method: 'sendPhoto', field: 'photo' },
  video: { method: 'sendVideo', field: 'video' },
  animation: { method: 'sendAnimation', field: 'animation' },
};

/**
 * The outbox call sending a meme by its file_id to `chatId`, with an HTML `caption` (omitted when
 * empty; Telegram allows 1,024 characters) and optional `replyMarkup` (an inline keyboard).
 */
export function memeSendCall(kind: MemeMediaKind, fileId: string, chatId: number | string, caption: string, replyMarkup?: object): OutboxCall {
  const { method, field } = SEND[kind];
  const params: Record<string, unknown> = { chat_id: chatId, [field]: fileId };
  if (caption) Object.assign(params, { caption, parse_mode: 'HTML' });
  if (replyMarkup) params.reply_markup = replyMarkup;
  return { method, params, chatId, isMessage: true };
}
