import { cantParseEntities } from './bot-api-error';
import {
  type FormattedText,
  type MessageEntity,
  type PendingEntity,
  byteOffset,
  linkEntity,
} from './message-entity';

/**
 * Tags of the Bot API "HTML style" (https://core.telegram.org/bots/api#html-style) and the entity
 * each one produces. `tg-time` is the date_time entity added in Bot API 9.5.
 */
const SUPPORTED_TAGS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  span: 'spoiler',
  'tg-spoiler': 'spoiler',
  a: 'text_link',
  'tg-emoji': 'custom_emoji',
  'tg-time': 'date_time',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
};

/** Named entities the Bot API supports; all numeric ones are supported too. */
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  name: string;
  /** Offset of the entity in the visible text (UTF-16 units). */
  start: number;
  /** Index of `<` in the source, for error positions. */
  at: number;
  attributes: Map<string, string>;
  /** Set on a `pre` by a nested `<code class="language-x">`. */
  language?: string;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

/**
 * Parses a `parse_mode: "HTML"` string the way Telegram does and returns the visible text and its
 * entities. Errors carry Telegram's wording and UTF-8 byte offsets, e.g.
 * `Unsupported start tag "foo" at byte offset 0`, `Can't find end tag corresponding to start tag "b"`,
 * `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`.
 * Stricter than Telegram in one point, following the documented rule "All <, > and & symbols that
 * are not a part of a tag or an HTML entity must be replaced": a `&` that does not start
 * `&lt;`, `&gt;`, `&amp;`, `&quot;` or a numeric entity is an error (Telegram would show it as is).
 * A bare `>` is accepted, as Telegram does.
 *
 * @throws BotApiError 400 `Bad Request: can't parse entities: <reason>`.
 */
export function parseTelegramHtml(source: string): FormattedText {
  let text = '';
  const entities: MessageEntity[] = [];
  const open: OpenTag[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '&') {
      const decoded = decodeEntityAt(source, i);
      if (!decoded) {
        throw cantParseEntities(
          `Character "&" at byte offset ${byteOffset(source, i)} is not a part of an HTML entity; escape it as "&amp;"`,
        );
      }
      text += decoded.value;
      i += decoded.length;
    } else if (c !== '<') {
      text += c;
      i += 1;
    } else if (source[i + 1] === '/') {
      i = closeTag(source, i, open, text.length, entities);
    } else {
      const tag = readStartTag(source, i);
      open.push({ ...tag.tag, start: text.length });
      i = tag.end;
    }
  }
  if (open.length > 0) {
    throw cantParseEntities(`Can't find end tag corresponding to start tag "${open[open.length - 1].name}"`);
  }
  return { text, entities };
}

/** Decodes `&…;` at `at`; undefined when it is not a supported entity. */
function decodeEntityAt(source: string, at: number): { value: string; length: number } | undefined {
  const match = /^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-z]+);/.exec(source.slice(at, at + 12));
  if (!match) return undefined;
  const body = match[1];
  if (body.startsWith('#')) {
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    if (code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
    return { value: String.fromCodePoint(code), length: match[0].length };
  }
  const named = NAMED_ENTITIES[body];
  return named === undefined ? undefined : { value: named, length: match[0].length };
}

/** Reads `<name attr="v" …>` starting at `at` (the `<`). */
function readStartTag(source: string, at: number): { tag: Omit<OpenTag, 'start'>; end: number } {
  let i = at + 1;
  while (i < source.length && !isSpace(source[i]) && source[i] !== '>') i++;
  if (i >= source.length) throw cantParseEntities(`Unclosed start tag at byte offset ${byteOffset(source, at)}`);
  const name = source.slice(at + 1, i).toLowerCase();
  if (!(name in SUPPORTED_TAGS)) {
    throw cantParseEntities(`Unsupported start tag "${name}" at byte offset ${byteOffset(source, at)}`);
  }
  const { attributes, end } = readAttributes(source, i, name, at);
  if (name === 'span' && attributes.get('class') !== 'tg-spoiler') {
    throw cantParseEntities(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(source, at)}`);
  }
  if (name === 'tg-emoji' && !/^\d+$/.test(attributes.get('emoji-id') ?? '')) {
    throw cantParseEntities(`Invalid custom emoji identifier specified at byte offset ${byteOffset(source, at)}`);
  }
  if (name === 'tg-time' && !/^\d+$/.test(attributes.get('unix') ?? '')) {
    throw cantParseEntities(`Tag "tg-time" must have attribute "unix" at byte offset ${byteOffset(source, at)}`);
  }
  return { tag: { name, at, attributes }, end };
}

/**
 * Reads attributes up to and including `>`: `name="value"`, `name='value'`, `name=token`, and the
 * value-less `expandable` of blockquote. Unknown attributes are ignored, as Telegram does.
 */
function readAttributes(
  source: string,
  from: number,
  tagName: string,
  tagAt: number,
): { attributes: Map<string, string>; end: number } {
  const attributes = new Map<string, string>();
  const unclosed = () => cantParseEntities(`Unclosed start tag at byte offset ${byteOffset(source, tagAt)}`);
  let i = from;
  for (;;) {
    while (i < source.length && isSpace(source[i])) i++;
    if (i >= source.length) throw unclosed();
    if (source[i] === '>') return { attributes, end: i + 1 };
    const nameStart = i;
    while (i < source.length && !isSpace(source[i]) && source[i] !== '=' && source[i] !== '>') i++;
    const name = source.slice(nameStart, i).toLowerCase();
    if (name === '') {
      throw cantParseEntities(`Empty attribute name in the tag "${tagName}" at byte offset ${byteOffset(source, nameStart)}`);
    }
    while (i < source.length && isSpace(source[i])) i++;
    if (source[i] !== '=') {
      if (tagName === 'blockquote' && name === 'expandable') {
        attributes.set(name, '');
        continue;
      }
      throw cantParseEntities(
        `Expected equal sign in declaration of an attribute of the tag "${tagName}" at byte offset ${byteOffset(source, nameStart)}`,
      );
    }
    i++;
    while (i < source.length && isSpace(source[i])) i++;
    if (i >= source.length) throw unclosed();
    let value = '';
    const quote = source[i];
    if (quote === '"' || quote === "'") {
      i++;
      while (i < source.length && source[i] !== quote) {
        const decoded = source[i] === '&' ? decodeEntityAt(source, i) : undefined;
        value += decoded ? decoded.value : source[i];
        i += decoded ? decoded.length : 1;
      }
      if (i >= source.length) throw unclosed();
      i++;
    } else {
      const tokenStart = i;
      while (i < source.length && /[A-Za-z0-9.-]/.test(source[i])) i++;
      value = source.slice(tokenStart, i).toLowerCase();
      if (i >= source.length) throw unclosed();
      if (!isSpace(source[i]) && source[i] !== '>') {
        throw cantParseEntities(`Unexpected end of name token at byte offset ${byteOffset(source, i)}`);
      }
    }
    attributes.set(name, value);
  }
}

/** Handles `</name>` at `at`; pops the open tag, emits its entity and returns the index after `>`. */
function closeTag(source: string, at: number, open: OpenTag[], textLength: number, entities: MessageEntity[]): number {
  const close = source.indexOf('>', at);
  if (close < 0) throw cantParseEntities(`Unclosed end tag at byte offset ${byteOffset(source, at)}`);
  const name = source.slice(at + 2, close).toLowerCase();
  const top = open.pop();
  if (!top) throw cantParseEntities(`Unexpected end tag at byte offset ${byteOffset(source, at)}`);
  if (name !== '' && name !== top.name) {
    throw cantParseEntities(
      `Unmatched end tag at byte offset ${byteOffset(source, at)}, expected "</${top.name}>", found "</${name}>"`,
    );
  }
  const parent = open[open.length - 1];
  const pending = entityFor(top, parent);
  if (pending && textLength > top.start) entities.push({ ...pending, offset: top.start, length: textLength - top.start });
  return close + 1;
}

/** The entity an element produces, or undefined (a link without href, code merged into its pre). */
function entityFor(tag: OpenTag, parent: OpenTag | undefined): PendingEntity | undefined {
  switch (tag.name) {
    case 'a': {
      const href = tag.attributes.get('href');
      return href ? linkEntity(href) : undefined;
    }
    case 'code': {
      if (parent?.name !== 'pre') return { type: 'code' };
      const language = tag.attributes.get('class');
      if (language?.startsWith('language-') && parent.start === tag.start) parent.language = language.slice(9);
      return undefined;
    }
    case 'pre':
      return tag.language ? { type: 'pre', language: tag.language } : { type: 'pre' };
    case 'blockquote':
      return { type: tag.attributes.has('expandable') ? 'expandable_blockquote' : 'blockquote' };
    case 'tg-emoji':
      return { type: 'custom_emoji', custom_emoji_id: tag.attributes.get('emoji-id') };
    case 'tg-time': {
      const format = tag.attributes.get('format');
      return { type: 'date_time', unix_time: Number(tag.attributes.get('unix')), ...(format ? { date_time_format: format } : {}) };
    }
    default:
      return { type: SUPPORTED_TAGS[tag.name] };
  }
}
