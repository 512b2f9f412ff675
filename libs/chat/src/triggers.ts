import type { TriggerKind } from '@kraken/contracts';
import { messageText, repliedMessageOf } from '@kraken/telegram';
import type { Message, MessageEntity } from 'telegraf/types';

/** The bot as Telegram knows it (getMe): id and @username. */
export interface BotIdentity {
  id: number;
  username?: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A matcher for the bot's names at the start of a text: case-insensitive, followed by the end of the
 * text, whitespace, punctuation or a symbol (`Кракен, …`, `кракен: …`, `КРАКЕН …`, `Kraken!`), never
 * by a letter (`Кракенский` does not match).
 */
export function botNamePattern(names: readonly string[]): RegExp {
  const alternatives = [...names].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  return new RegExp(`^\\s*(?:${alternatives})(?=$|[\\s\\p{P}\\p{S}])[\\s\\p{P}]*`, 'iu');
}

/** Entities of a message's text or caption (https://core.telegram.org/bots/api#messageentity). */
function entitiesOf(message: Message): MessageEntity[] {
  return ('entities' in message ? message.entities : undefined) ?? ('caption_entities' in message ? message.caption_entities : undefined) ?? [];
}

/**
 * True when the message @mentions the bot (`mention` entity with its username, or a `text_mention` of
 * its id). A `text_mention`'s user is read as possibly missing: the gateway's door (update-schema)
 * checks its type but does not require it.
 */
export function mentionsBot(message: Message, bot: BotIdentity): boolean {
  const text = messageText(message);
  return entitiesOf(message).some((entity) => {
    if (entity.type === 'text_mention') return entity.user?.id === bot.id;
    if (entity.type !== 'mention' || !bot.username) return false;
    return text.slice(entity.offset, entity.offset + entity.length).toLowerCase() === `@${bot.username.toLowerCase()}`;
  });
}

/** True when the message replies to one of the bot's own messages. */
export function isReplyToBot(message: Message, bot: BotIdentity): boolean {
  return repliedMessageOf(message)?.from?.id === bot.id;
}

/**
 * The explicit trigger of a message, or null: `private` (any message in a private chat), `reply` (to
 * the bot), `mention` (@bot), `name` (one of `names` at the start). Questions are decided separately
 * (isQuestion), under the chat's policy.
 */
export function explicitTrigger(message: Message, bot: BotIdentity, names: RegExp): Exclude<TriggerKind, 'question'> | null {
  if (message.chat.type === 'private') return 'private';
  if (isReplyToBot(message, bot)) return 'reply';
  if (mentionsBot(message, bot)) return 'mention';
  if (names.test(messageText(message))) return 'name';
  return null;
}

/** True for a text ending in `?` (or the full-width `？`), at least `minLength` characters long once trimmed. */
export function isQuestion(text: string, minLength: number): boolean {
  const trimmed = text.trim();
  return trimmed.length >= minLength && /[?？]$/u.test(trimmed);
}

/** A bot command at the start of a text (https://core.telegram.org/bots/features#commands). */
export interface ParsedCommand {
  /** Lower-cased command without `/` and `@bot`. */
  command: string;
  /** Text after the command, trimmed. */
  args: string;
}

/**
 * Parses `/command[@bot] args`. A command addressed to another bot (`/usage@OtherBot`) is null.
 */
export function parseCommand(text: string, botUsername?: string): ParsedCommand | null {
  const match = /^\/([a-z0-9_]{1,32})(?:@([a-z0-9_]{3,64}))?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (!match) return null;
  if (match[2] && (!botUsername || match[2].toLowerCase() !== botUsername.toLowerCase())) return null;
  return { command: match[1].toLowerCase(), args: (match[3] ?? '').trim() };
}

/**
 * Phrases that ask for a recap once the bot's name is stripped (lower-cased, `ё` → `е`, punctuation
 * removed): "что тут было", "что я пропустил", "сводку", "what did I miss", "catch me up" … ("о чём тут
 * говорили?" stays an ordinary question, answered from the rolling context).
 */
const RECAP_PHRASES = [
  /^что (тут|здесь|в чате)? ?(было|происходило|обсуждали)/u,
  /^что (я )?пропустил[аи]?/u,
  /^(сделай |дай )?(сводк[уа]|саммари|пересказ)/u,
  /^what (did i miss|have i missed|happened( here)?|was (discussed|going on))/u,
  /^(catch me up|recap|summary|tl ?dr)/u,
];

/**
 * True when a message addresses the bot by name (see botNamePattern) and asks what happened in the
 * chat: `Кракен, что тут было?`, `Kraken, what did I miss?`, `кракен сводку` (the phrase and at most
 * three more words). Such messages get a recap instead of an ordinary answer.
 */
export function isRecapRequest(text: string, names: RegExp): boolean {
  const match = names.exec(text);
  if (!match) return false;
  const rest = text
    .slice(match[0].length)
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // The phrase plus at most three more words ("что тут было сегодня"), not a longer question about something.
  return RECAP_PHRASES.some((phrase) => {
    const found = phrase.exec(rest);
    return found !== null && rest.slice(found[0].length).trim().split(' ').filter(Boolean).length <= 3;
  });
}
