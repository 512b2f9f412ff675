import type { ForwardOrigin, MessageFact, MessageKind } from '@kraken/contracts';

/** One message of a chat's rolling context, as stored in Redis. */
export interface ContextEntry {
  /** Telegram message id. */
  id: number;
  /** Message time, ms since the epoch. */
  at: number;
  /** Sender display name. */
  sender: string;
  senderId?: number;
  /** True for bots, Kraken's own answers included. */
  isBot: boolean;
  /** True only for Kraken's own answers (added by the llm-worker, never derived from an update). */
  own?: boolean;
  kind: MessageKind;
  /** Text or caption (up to 4,096 characters). */
  text: string;
  /** Id of the message this one replies to. */
  replyTo?: number;
  /** Where a forwarded message came from. */
  forward?: ForwardOrigin;
}

/** A MessageFact as a context entry; null for service messages (joins, pins …), which are not context. */
export function contextEntryOf(fact: MessageFact): ContextEntry | null {
  if (!fact.kind) return null;
  return {
    id: fact.messageId,
    at: fact.date * 1000,
    sender: fact.sender?.name ?? 'Unknown',
    ...(fact.sender ? { senderId: fact.sender.id } : {}),
    isBot: fact.sender?.isBot ?? false,
    kind: fact.kind,
    text: fact.text ?? '',
    ...(fact.replyToMessageId ? { replyTo: fact.replyToMessageId } : {}),
    ...(fact.forwardOrigin ? { forward: fact.forwardOrigin } : {}),
  };
}

/** Line breaks of every kind, with the blanks around them: a member's text or name stays on its prompt line. */
const LINE_BREAKS = /\s*[\n\r\v\f\u0085\u2028\u2029]\s*/g;

/** `text` on one line (line breaks become spaces), trimmed. */
function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').trim();
}

/** Only Telegram's username characters (`A-Za-z0-9_`) are printed unquoted after `@`; anything else is left out. */
const USERNAME = /^[A-Za-z0-9_]{1,64}$/;

/**
 * Text written by members (a name, a title, a message) as a one-line JSON string literal: quotes and
 * backslashes escaped, line breaks turned into spaces, so it can neither end its quotes nor start a
 * prompt line of its own.
 */
export function quoteUntrusted(text: string): string {
  return JSON.stringify(oneLine(text));
}

/** `channel "Title" @name`, `user "Anna"`, `hidden user "Bob"`, `chat "Title"` (titles and names quoted). */
function originLabel(origin: ForwardOrigin): string {
  const at = origin.username && USERNAME.test(origin.username) ? ` @${origin.username}` : '';
  return `${origin.type.replace('_', ' ')} ${quoteUntrusted(origin.title)}${at}`;
}

/** `HH:MM` of `ms` in time zone `tz`. */
function clock(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
}

/** `YYYY-MM-DD` of `ms` in time zone `tz`. */
function day(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

/**
 * One prompt line for an entry, every text a member wrote (sender name, forward title, text) a quoted
 * JSON string literal (quoteUntrusted), so a member named "Kraken (bot)" or a text holding a line
 * break and "Kraken:" stays inside its quotes:
 * `#412 14:05 "Anna" (reply to #410) [forwarded from channel "Habr" @habr] [photo]: "caption"`.
 * Kraken's own answers (ContextEntry.own) have an unquoted `you` in place of the name, other bots a
 * `(bot)` after it. Media are described by kind plus caption; the message id lets replies point at
 * each other. `text` replaces the entry's text (e.g. cut to a token limit). Given `now` (ms), a message
 * from an earlier day (in `tz`) carries its date too: `#412 2026-11-20 14:05 "Anna": …`.
 */
export function formatEntry(entry: ContextEntry, tz: string, text = entry.text, now?: number): string {
  const date = now !== undefined && day(entry.at, tz) !== day(now, tz) ? `${day(entry.at, tz)} ` : '';
  const who = entry.own ? 'you' : `${quoteUntrusted(entry.sender)}${entry.isBot ? ' (bot)' : ''}`;
  const parts = [`#${entry.id} ${date}${clock(entry.at, tz)} ${who}`];
  if (entry.replyTo) parts.push(`(reply to #${entry.replyTo})`);
  if (entry.forward) parts.push(`[forwarded from ${originLabel(entry.forward)}]`);
  if (entry.kind !== 'text') parts.push(`[${entry.kind.replace('_', ' ')}]`);
  return `${parts.join(' ')}: ${quoteUntrusted(text)}`;
}
