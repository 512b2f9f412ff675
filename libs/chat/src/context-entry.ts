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

/** `channel «Title» @name`, `user Anna`, `hidden user Bob`, `chat «Title»`. */
function originLabel(origin: ForwardOrigin): string {
  const at = origin.username ? ` @${origin.username}` : '';
  switch (origin.type) {
    case 'channel':
      return `channel «${origin.title}»${at}`;
    case 'chat':
      return `chat «${origin.title}»${at}`;
    case 'hidden_user':
      return `hidden user ${origin.title}`;
    case 'user':
      return `user ${origin.title}${at}`;
  }
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
 * One prompt line for an entry:
 * `#412 14:05 Anna (reply to #410) [forwarded from channel «Habr» @habr] [photo]: caption`.
 * Media are described by kind plus caption; the message id lets replies point at each other. Given
 * `now` (ms), a message from an earlier day (in `tz`) carries its date too: `#412 2026-11-20 14:05 Anna: …`.
 */
export function formatEntry(entry: ContextEntry, tz: string, text = entry.text, now?: number): string {
  const date = now !== undefined && day(entry.at, tz) !== day(now, tz) ? `${day(entry.at, tz)} ` : '';
  const parts = [`#${entry.id} ${date}${clock(entry.at, tz)} ${entry.sender}${entry.isBot ? ' (bot)' : ''}`];
  if (entry.replyTo) parts.push(`(reply to #${entry.replyTo})`);
  if (entry.forward) parts.push(`[forwarded from ${originLabel(entry.forward)}]`);
  if (entry.kind !== 'text') parts.push(`[${entry.kind.replace('_', ' ')}]`);
  return `${parts.join(' ')}: ${text.replace(/\s*\n\s*/g, ' ').trim()}`;
}
