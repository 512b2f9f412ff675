/**
 * A MessageEntity (https://core.telegram.org/bots/api#messageentity): offsets and lengths are in
 * UTF-16 code units of the visible text, which is what JavaScript string indices count.
 */
export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  user?: { id: number; is_bot: boolean; first_name: string };
  language?: string;
  custom_emoji_id?: string;
  unix_time?: number;
  date_time_format?: string;
}

/** Visible text plus entities: what a parse_mode string turns into. */
export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

/** Entity data collected while a tag or marker is open; offset/length are filled in on close. */
export type PendingEntity = Omit<MessageEntity, 'offset' | 'length'>;

/**
 * Entity for an inline link: `tg://user?id=<id>` links become text_mention entities (that is how
 * Telegram returns them), other URLs text_link.
 */
export function linkEntity(url: string): PendingEntity {
  const mention = /^tg:\/\/user\?id=(\d+)$/.exec(url);
  if (mention) {
    return { type: 'text_mention', user: { id: Number(mention[1]), is_bot: false, first_name: `User ${mention[1]}` } };
  }
  return { type: 'text_link', url };
}

/**
 * Telegram strips leading and trailing whitespace from message texts and captions after parsing
 * entities; entities are shifted and clipped accordingly, empty ones dropped, and the list is
 * sorted by offset (outer entity first on ties).
 */
export function trimFormattedText(formatted: FormattedText): FormattedText {
  const lead = formatted.text.length - formatted.text.trimStart().length;
  const text = formatted.text.trim();
  const entities = formatted.entities
    .map((entity) => {
      const start = Math.max(0, entity.offset - lead);
      const end = Math.min(text.length, entity.offset + entity.length - lead);
      return { ...entity, offset: start, length: end - start };
    })
    .filter((entity) => entity.length > 0)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

/** UTF-8 byte offset of a string index, as Telegram reports positions in parse errors. */
export function byteOffset(source: string, index: number): number {
  return Buffer.byteLength(source.slice(0, index), 'utf8');
}
