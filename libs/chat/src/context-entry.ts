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

/** A forward origin as a JSON-ready object: `{type, title, username?}` for chats, `{type, name, username?}` for users. */
function originOf(origin: ForwardOrigin): Record<string, string> {
  const label = origin.type === 'channel' || origin.type === 'chat' ? 'title' : 'name';
  return { type: origin.type, [label]: oneLine(origin.title), ...(origin.username ? { username: origin.username } : {}) };
}

/** `HH:MM` of `ms` in time zone `tz`. */
function clock(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
}

/**
 * One prompt line for an entry: a JSON object, so names, titles and texts written by members are
 * quoted strings that cannot start a line of their own or pose as another speaker (a member named
 * "Kraken (bot)" or a text holding a line break and "Kraken:" stays inside its string):
 * `{"id":412,"at":"14:05","from":"Anna","reply_to":410,"forwarded_from":{"type":"channel","title":"Habr","username":"habr"},"media":"photo","text":"caption"}`.
 * `"you":true` marks Kraken's own answers (ContextEntry.own) and `"bot":true` other bots; media are
 * described by kind plus caption; the message id lets replies point at each other. Line breaks in
 * texts and names become spaces. `text` replaces the entry's text (e.g. cut to a token limit).
 */
export function formatEntry(entry: ContextEntry, tz: string, text = entry.text): string {
  return JSON.stringify({
    id: entry.id,
    at: clock(entry.at, tz),
    from: oneLine(entry.sender),
    ...(entry.own ? { you: true } : entry.isBot ? { bot: true } : {}),
    ...(entry.replyTo ? { reply_to: entry.replyTo } : {}),
    ...(entry.forward ? { forwarded_from: originOf(entry.forward) } : {}),
    ...(entry.kind !== 'text' ? { media: entry.kind } : {}),
    text: oneLine(text),
  });
}

/**
 * Text written by members (a chat title …) as a one-line JSON string, for prompt lines outside
 * formatEntry.
 */
export function quoteUntrusted(text: string): string {
  return JSON.stringify(oneLine(text));
}
