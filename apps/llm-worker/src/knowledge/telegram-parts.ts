import { telegramHtmlToText, TELEGRAM_MESSAGE_LIMIT, type MessagePart } from '@kraken/chat';

/**
 * Splits Telegram HTML made of self-contained lines (every tag closed on its line, as recaps and
 * `/kb` answers are) into messages of at most TELEGRAM_MESSAGE_LIMIT characters, on blank lines, then
 * lines; each part with its plain-text twin for the outbox's fallback.
 */
export function htmlParts(html: string, limit = TELEGRAM_MESSAGE_LIMIT): MessagePart[] {
  const parts: string[] = [];
  let current = '';
  for (const line of html.split('\n')) {
    const piece = line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
    const candidate = current ? `${current}\n${piece}` : piece;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    if (current.trim()) parts.push(current.trim());
    current = piece;
  }
  if (current.trim()) parts.push(current.trim());
  return parts.map((part) => ({ html: part, plain: telegramHtmlToText(part) }));
}
