import { cantParseEntities } from './bot-api-error';
import {
  type FormattedText,
  type MessageEntity,
  type PendingEntity,
  byteOffset,
  linkEntity,
} from './message-entity';

/**
 * Characters that must be escaped with `\` outside entities in MarkdownV2
 * (https://core.telegram.org/bots/api#markdownv2-style).
 */
const RESERVED = '_*[]()~`>#+-=|{}.!';

type Kind = 'Bold' | 'Italic' | 'Underline' | 'Strikethrough' | 'Spoiler' | 'Code' | 'Pre' | 'TextUrl' | 'CustomEmoji';

interface OpenMarker {
  kind: Kind;
  /** Offset in the visible text (UTF-16 units). */
  start: number;
  /** Index of the marker in the source, for error positions. */
  at: number;
  language?: string;
}

interface OpenQuote {
  start: number;
  expandable: boolean;
}

const ENTITY_TYPE: Record<Kind, string> = {
  Bold: 'bold',
  Italic: 'italic',
  Underline: 'underline',
  Strikethrough: 'strikethrough',
  Spoiler: 'spoiler',
  Code: 'code',
  Pre: 'pre',
  TextUrl: 'text_link',
  CustomEmoji: 'custom_emoji',
};

/**
 * Parses a `parse_mode: "MarkdownV2"` string into visible text and entities, following the
 * documented syntax: `*bold*`, `_italic_`, `__underline__`, `~strike~`, `||spoiler||`, `` `code` ``,
 * ```` ```lang pre``` ````, `[text](url)`, `![👍](tg://emoji?id=…)`, `>` block quotes at line start
 * and `**>` expandable ones ending with `||`. Any character with code 1–126 can be escaped with `\`;
 * inside code/pre only `` ` `` and `\` are special; inside a link's `(…)` only `)` and `\`.
 * Errors use Telegram's wording: `Character '.' is reserved and must be escaped with the preceding '\'`,
 * `Can't find end of Bold entity at byte offset 0`, `Can't find end of a URL at byte offset N`.
 *
 * @throws BotApiError 400 `Bad Request: can't parse entities: <reason>`.
 */
export function parseMarkdownV2(source: string): FormattedText {
  let text = '';
  const entities: MessageEntity[] = [];
  const open: OpenMarker[] = [];
  let quote: OpenQuote | undefined;
  const closeQuote = (end: number) => {
    if (quote && end > quote.start) {
      entities.push({ type: quote.expandable ? 'expandable_blockquote' : 'blockquote', offset: quote.start, length: end - quote.start });
    }
    quote = undefined;
  };

  let i = 0;
  while (i < source.length) {
    const top = open[open.length - 1];
    const inCode = top?.kind === 'Code' || top?.kind === 'Pre';
    if ((i === 0 || source[i - 1] === '\n') && !inCode) {
      if (source.startsWith('**>', i) || source[i] === '>') {
        const expandable = source[i] !== '>';
        if (!quote) quote = { start: text.length, expandable };
        i += expandable ? 3 : 1;
        continue;
      }
      if (quote) closeQuote(text.endsWith('\n') ? text.length - 1 : text.length);
    }
    const c = source[i];
    if (c === '\\' && i + 1 < source.length && source.charCodeAt(i + 1) >= 1 && source.charCodeAt(i + 1) <= 126) {
      text += source[i + 1];
      i += 2;
      continue;
    }
    if (!(inCode ? '`' : RESERVED).includes(c)) {
      text += c;
      i += 1;
      continue;
    }
    if (c === '|' && source[i + 1] === '|' && quote?.expandable && top?.kind !== 'Spoiler' && /^(\n|$)/.test(source.slice(i + 2, i + 3))) {
      closeQuote(text.length);
      i += 2;
      continue;
    }
    if (top && endsEntity(top, source, i)) {
      open.pop();
      const closed = closeMarker(top, source, i);
      if (closed.entity && text.length > top.start) entities.push({ ...closed.entity, offset: top.start, length: text.length - top.start });
      i = closed.next;
      continue;
    }
    const started = startMarker(source, i);
    open.push({ ...started.marker, start: text.length, at: i });
    i = started.next;
  }
  if (open.length > 0) {
    const last = open[open.length - 1];
    throw cantParseEntities(`Can't find end of ${last.kind} entity at byte offset ${byteOffset(source, last.at)}`);
  }
  closeQuote(text.length);
  return { text, entities };
}

/** Whether the reserved character at `i` closes the innermost open entity. */
function endsEntity(top: OpenMarker, source: string, i: number): boolean {
  const c = source[i];
  switch (top.kind) {
    case 'Bold':
      return c === '*';
    case 'Italic':
      return c === '_' && source[i + 1] !== '_';
    case 'Underline':
      return c === '_' && source[i + 1] === '_';
    case 'Strikethrough':
      return c === '~';
    case 'Spoiler':
      return c === '|' && source[i + 1] === '|';
    case 'Code':
      return c === '`';
    case 'Pre':
      return source.startsWith('```', i);
    case 'TextUrl':
    case 'CustomEmoji':
      return c === ']';
  }
}

/** Opens the entity whose marker starts at `i`, or throws for a reserved character out of place. */
function startMarker(source: string, i: number): { marker: Pick<OpenMarker, 'kind' | 'language'>; next: number } {
  const c = source[i];
  switch (c) {
    case '*':
      return { marker: { kind: 'Bold' }, next: i + 1 };
    case '_':
      return source[i + 1] === '_' ? { marker: { kind: 'Underline' }, next: i + 2 } : { marker: { kind: 'Italic' }, next: i + 1 };
    case '~':
      return { marker: { kind: 'Strikethrough' }, next: i + 1 };
    case '[':
      return { marker: { kind: 'TextUrl' }, next: i + 1 };
    case '|':
      if (source[i + 1] === '|') return { marker: { kind: 'Spoiler' }, next: i + 2 };
      break;
    case '!':
      if (source[i + 1] === '[') return { marker: { kind: 'CustomEmoji' }, next: i + 2 };
      break;
    case '`': {
      if (!source.startsWith('```', i)) return { marker: { kind: 'Code' }, next: i + 1 };
      let next = i + 3;
      const match = /^([^\s`]+)(?=[\s])/.exec(source.slice(next));
      const language = match?.[1];
      if (language) next += language.length;
      if (source[next] === '\n' || source[next] === '\r') next += 1;
      return { marker: { kind: 'Pre', language }, next };
    }
  }
  throw cantParseEntities(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
}

/** Closes `top` at `i`: consumes the end marker (and a link's `(url)`), returns the entity. */
function closeMarker(top: OpenMarker, source: string, i: number): { entity?: PendingEntity; next: number } {
  switch (top.kind) {
    case 'Underline':
    case 'Spoiler':
      return { entity: { type: ENTITY_TYPE[top.kind] }, next: i + 2 };
    case 'Pre':
      return { entity: top.language ? { type: 'pre', language: top.language } : { type: 'pre' }, next: i + 3 };
    case 'TextUrl':
    case 'CustomEmoji': {
      if (source[i + 1] !== '(') {
        if (top.kind === 'CustomEmoji') throw cantParseEntities('Custom emoji entity must contain a tg://emoji URL');
        return { next: i + 1 };
      }
      const { url, next } = readUrl(source, i + 2);
      if (top.kind === 'TextUrl') return { entity: linkEntity(url), next };
      const emoji = /^tg:\/\/emoji\?id=(\d+)$/.exec(url);
      const time = /^tg:\/\/time\?unix=(\d+)(?:&format=([^&]*))?$/.exec(url);
      if (emoji) return { entity: { type: 'custom_emoji', custom_emoji_id: emoji[1] }, next };
      if (time) return { entity: { type: 'date_time', unix_time: Number(time[1]), ...(time[2] ? { date_time_format: time[2] } : {}) }, next };
      throw cantParseEntities('Custom emoji entity must contain a tg://emoji URL');
    }
    default:
      return { entity: { type: ENTITY_TYPE[top.kind] }, next: i + 1 };
  }
}

/** Reads a link target after `(` up to the unescaped `)`; `\` escapes any ASCII character. */
function readUrl(source: string, from: number): { url: string; next: number } {
  let url = '';
  let i = from;
  while (i < source.length && source[i] !== ')') {
    if (source[i] === '\\' && i + 1 < source.length && source.charCodeAt(i + 1) <= 126) {
      url += source[i + 1];
      i += 2;
    } else {
      url += source[i];
      i += 1;
    }
  }
  if (i >= source.length) throw cantParseEntities(`Can't find end of a URL at byte offset ${byteOffset(source, from - 1)}`);
  return { url, next: i + 1 };
}
