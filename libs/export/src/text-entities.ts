/**
 * Export text → Bot API `text` + `entities`.
 *
 * The export stores text as consecutive pieces (`text_entities`: every piece an object, unformatted
 * ones `type: "plain"`; `text`: the same with unformatted pieces as bare strings). The message text
 * is their concatenation; each formatted piece becomes one `MessageEntity` whose `offset` and
 * `length` count UTF-16 code units (Bot API MessageEntity; JavaScript string lengths are UTF-16, so
 * an emoji such as "💡" counts 2).
 *
 * Piece type (Telegram Desktop `SerializeText`) → entity type:
 * plain, unknown → none; link → url; text_link → text_link (`url` = href); mention_name →
 * text_mention (`user` from `user_id`); phone → phone_number; custom_emoji → custom_emoji
 * (`custom_emoji_id` = document_id; dropped when the export has no document_id, since the Bot API
 * requires it); pre → pre (`language` when non-empty); blockquote → blockquote, or
 * expandable_blockquote when `collapsed`; bold, italic, underline, strikethrough, spoiler, code,
 * hashtag, cashtag, bot_command, mention, email, bank_card → same name. Empty pieces give no entity.
 * Nested formatting cannot be recovered: the export flattens it to one type per piece.
 */
import type { MessageEntity, User } from 'telegraf/types';
import type { ExportMessage, ExportTextPart } from './export-schema';

/** Message text with its entities (empty `entities` when there is no formatting). */
export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

const SAME_NAME = new Set([
  'bold',
  'italic',
  'underline',
  'strikethrough',
  'spoiler',
  'code',
  'hashtag',
  'cashtag',
  'bot_command',
  'mention',
  'email',
  'bank_card',
]);

/**
 * Text and entities of an exported message, from `text_entities` when present, else from `text`.
 * @param mentionedUser builds the User of a `mention_name` piece (id from `user_id`, name = piece text).
 */
export function formattedText(
  message: Pick<ExportMessage, 'text' | 'text_entities'>,
  mentionedUser: (id: number, name: string) => User,
): FormattedText {
  const parts = message.text_entities ?? toParts(message.text);
  let text = '';
  const entities: MessageEntity[] = [];
  for (const part of parts) {
    const offset = text.length;
    text += part.text;
    if (part.text.length === 0) continue;
    const entity = toEntity(part, offset, mentionedUser);
    if (entity) entities.push(entity);
  }
  return { text, entities };
}

function toParts(text: ExportMessage['text']): ExportTextPart[] {
  if (text === undefined) return [];
  if (typeof text === 'string') return [{ type: 'plain', text }];
  return text.map((piece) => (typeof piece === 'string' ? { type: 'plain', text: piece } : piece));
}

function toEntity(
  part: ExportTextPart,
  offset: number,
  mentionedUser: (id: number, name: string) => User,
): MessageEntity | undefined {
  const length = part.text.length;
  switch (part.type) {
    case 'link':
      return { type: 'url', offset, length };
    case 'text_link':
      return part.href ? { type: 'text_link', offset, length, url: part.href } : undefined;
    case 'mention_name': {
      const id = Number(part.user_id);
      if (!Number.isSafeInteger(id) || id <= 0) return undefined;
      return { type: 'text_mention', offset, length, user: mentionedUser(id, part.text.replace(/^@/, '')) };
    }
    case 'phone':
      return { type: 'phone_number', offset, length };
    case 'custom_emoji':
      return part.document_id === undefined
        ? undefined
        : { type: 'custom_emoji', offset, length, custom_emoji_id: String(part.document_id) };
    case 'pre':
      return part.language ? { type: 'pre', offset, length, language: part.language } : { type: 'pre', offset, length };
    case 'blockquote':
      return { type: part.collapsed ? 'expandable_blockquote' : 'blockquote', offset, length } as MessageEntity;
    default:
      return SAME_NAME.has(part.type) ? ({ type: part.type, offset, length } as MessageEntity) : undefined;
  }
}
