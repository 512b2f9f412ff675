import { badRequest } from './bot-api-error';
import { parseTelegramHtml } from './html-formatting';
import { parseLegacyMarkdown } from './markdown-legacy-formatting';
import { parseMarkdownV2 } from './markdown-v2-formatting';
import { type FormattedText, type MessageEntity, trimFormattedText } from './message-entity';

/** Message text limit: "1-4096 characters after entities parsing" (https://core.telegram.org/bots/api#sendmessage). */
export const MESSAGE_TEXT_LIMIT = 4096;
/** Caption limit: "0-1024 characters after entities parsing" (https://core.telegram.org/bots/api#sendphoto). */
export const CAPTION_LIMIT = 1024;

/**
 * Turns a text plus `parse_mode` (HTML, MarkdownV2, Markdown; case-insensitive like Telegram) or
 * explicit `entities` into visible text and entities, trimmed as Telegram trims. Lengths are
 * UTF-16 code units, the unit Telegram counts in.
 *
 * @throws BotApiError 400 `can't parse entities: …` or `unsupported parse_mode`.
 */
export function formatText(raw: string, parseMode: unknown, entities: unknown): FormattedText {
  const mode = typeof parseMode === 'string' ? parseMode.toLowerCase() : '';
  let formatted: FormattedText;
  if (mode === '') formatted = { text: raw, entities: Array.isArray(entities) ? (entities as MessageEntity[]) : [] };
  else if (mode === 'html') formatted = parseTelegramHtml(raw);
  else if (mode === 'markdownv2') formatted = parseMarkdownV2(raw);
  else if (mode === 'markdown') formatted = parseLegacyMarkdown(raw);
  else throw badRequest('unsupported parse_mode');
  return trimFormattedText(formatted);
}

/**
 * Checks a message text (sendMessage, editMessageText): after parsing it must be non-empty
 * (`Bad Request: message text is empty`) and at most 4096 UTF-16 units
 * (`Bad Request: message is too long`).
 *
 * @throws BotApiError 400.
 */
export function prepareMessageText(text: unknown, parseMode: unknown, entities: unknown): FormattedText {
  const formatted = formatText(typeof text === 'string' ? text : '', parseMode, entities);
  if (formatted.text === '') throw badRequest('message text is empty');
  if (formatted.text.length > MESSAGE_TEXT_LIMIT) throw badRequest('message is too long');
  return formatted;
}

/**
 * Checks a sendMessageDraft text: "0-4096 characters after entities parsing"; empty shows a
 * "Thinking..." placeholder (https://core.telegram.org/bots/api#sendmessagedraft).
 *
 * @throws BotApiError 400 `message is too long` or a parse error.
 */
export function prepareDraftText(text: unknown, parseMode: unknown, entities: unknown): FormattedText {
  const formatted = formatText(typeof text === 'string' ? text : '', parseMode, entities);
  if (formatted.text.length > MESSAGE_TEXT_LIMIT) throw badRequest('message is too long');
  return formatted;
}

/**
 * Checks a caption: at most 1024 UTF-16 units after parsing (`Bad Request: message caption is too
 * long`). Returns undefined for an absent or empty caption.
 *
 * @throws BotApiError 400.
 */
export function prepareCaption(caption: unknown, parseMode: unknown, entities: unknown): FormattedText | undefined {
  if (typeof caption !== 'string') return undefined;
  const formatted = formatText(caption, parseMode, entities);
  if (formatted.text.length > CAPTION_LIMIT) throw badRequest('message caption is too long');
  return formatted.text === '' ? undefined : formatted;
}
