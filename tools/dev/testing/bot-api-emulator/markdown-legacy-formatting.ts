import { cantParseEntities } from './bot-api-error';
import { type FormattedText, type MessageEntity, byteOffset, linkEntity } from './message-entity';

/**
 * Parses the legacy `parse_mode: "Markdown"` (https://core.telegram.org/bots/api#markdown-style):
 * `*bold*`, `_italic_`, `` `code` ``, ```` ```pre``` ````, `[text](url)`; entities cannot be nested;
 * `\` escapes `_ * ` [` outside entities. An entity left open fails with Telegram's
 * `Can't find end of the entity starting at byte offset N`.
 *
 * @throws BotApiError 400 `Bad Request: can't parse entities: <reason>`.
 */
export function parseLegacyMarkdown(source: string): FormattedText {
  let text = '';
  const entities: MessageEntity[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\' && '_*`['.includes(source[i + 1] ?? '')) {
      text += source[i + 1];
      i += 2;
      continue;
    }
    if (!'_*`['.includes(c)) {
      text += c;
      i += 1;
      continue;
    }
    const at = i;
    const notClosed = () => cantParseEntities(`Can't find end of the entity starting at byte offset ${byteOffset(source, at)}`);
    const start = text.length;
    if (c === '[') {
      const close = source.indexOf(']', i + 1);
      if (close < 0) throw notClosed();
      text += source.slice(i + 1, close);
      i = close + 1;
      if (source[i] === '(') {
        const end = source.indexOf(')', i + 1);
        if (end < 0) throw notClosed();
        if (text.length > start) entities.push({ ...linkEntity(source.slice(i + 1, end)), offset: start, length: text.length - start });
        i = end + 1;
      }
      continue;
    }
    const marker = c === '`' && source.startsWith('```', i) ? '```' : c;
    const end = source.indexOf(marker, i + marker.length);
    if (end < 0) throw notClosed();
    let content = source.slice(i + marker.length, end);
    let language: string | undefined;
    if (marker === '```') {
      const firstLine = /^([^\s`]+)\n/.exec(content);
      if (firstLine) {
        language = firstLine[1];
        content = content.slice(firstLine[0].length);
      } else if (content.startsWith('\n')) {
        content = content.slice(1);
      }
    }
    text += content;
    const type = { '*': 'bold', _: 'italic', '`': 'code', '```': 'pre' }[marker] as string;
    if (content.length > 0) entities.push({ type, offset: start, length: content.length, ...(language ? { language } : {}) });
    i = end + marker.length;
  }
  return { text, entities };
}
