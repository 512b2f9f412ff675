import type { ParsedCommand } from '@kraken/chat';
import { MEME_CAPTION_LIMIT, type ChatRef, type MemeSubmitJob, type Person } from '@kraken/contracts';
import { chatRef, displayName, messageText, repliedMessageOf, senderOf, type Nameable } from '@kraken/telegram';
import type { Message } from 'telegraf/types';
import { memeMediaOf } from './meme-media';

/**
 * What a message means for the meme flow:
 * - `submit`: a submission to enqueue (the `submit` job payload);
 * - `hint`: `/meme` that does not reply to a photo, video or GIF (answer with a usage hint);
 * - null: nothing to do with memes.
 */
export type SubmissionDecision = { kind: 'submit'; job: MemeSubmitJob } | { kind: 'hint'; chat: ChatRef; messageId: number } | null;

/** A Bot API User (https://core.telegram.org/bots/api#user) as a Person. */
export function personOfUser(user: Nameable & { id: number }): Person {
  return { id: user.id, name: displayName(user), ...(user.username ? { username: user.username } : {}) };
}

/** The sender of a message as a Person (a chat posting as itself counts as a person too). */
export function personOf(message: Message): Person | null {
  const sender = senderOf(message);
  return sender ? { id: sender.id, name: sender.name, ...(sender.username ? { username: sender.username } : {}) } : null;
}

/** hashtagPattern results by flags and hashtag (configured hashtags: a handful), compiled once: every group message is checked, and compiling a Unicode pattern costs more than matching it. */
const patterns = new Map<string, RegExp>();

/** `hashtag` as a whole tag (case-insensitive, not a prefix of a longer tag); group 1 is the character before it. */
function hashtagPattern(hashtag: string, flags = ''): RegExp {
  const key = `${flags}:${hashtag}`;
  let pattern = patterns.get(key);
  if (!pattern) {
    const escaped = hashtag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    pattern = new RegExp(`(^|[^\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, `iu${flags}`);
    patterns.set(key, pattern);
  }
  return pattern;
}

/** True when `text` carries `hashtag` as a whole tag (case-insensitive, not a prefix of a longer tag). */
export function hasHashtag(text: string, hashtag: string): boolean {
  return hashtagPattern(hashtag).test(text);
}

/**
 * The caption a meme keeps: the media message's caption without the meme hashtag, whitespace runs
 * collapsed, cut to Telegram's 1,024 characters; undefined when nothing is left.
 */
export function memeCaptionOf(media: Message, hashtag: string): string | undefined {
  const caption = 'caption' in media && typeof media.caption === 'string' ? media.caption : '';
  const cleaned = caption.replace(hashtagPattern(hashtag, 'g'), '$1').replace(/[ \t]+/g, ' ').replace(/ *\n */g, '\n').trim();
  if (!cleaned) return undefined;
  // Never end on half a surrogate pair (an emoji cut in two is invalid UTF-16).
  return cleaned.length <= MEME_CAPTION_LIMIT ? cleaned : cleaned.slice(0, MEME_CAPTION_LIMIT).replace(/[\uD800-\uDBFF]$/, '');
}

/**
 * Reads a new message (`message` update) as a meme submission, given the bot `command` it starts with
 * (parseCommand: `/meme@otherbot` is none) and MEME_HASHTAG (`hashtag`, e.g. `#мем`):
 * - private chat: a photo, video or GIF is a submission (`via: private`);
 * - group: `/meme` (or `/meme@<bot>`) replying to a media message submits that media (`via: command`;
 *   without such a reply: `hint`); a media message whose caption carries the hashtag submits itself,
 *   and a message carrying the hashtag that replies to a media message submits that one (`via: hashtag`).
 * Bots' messages are ignored. The media message's sender is the credited author; its caption (see
 * memeCaptionOf) goes with the meme.
 */
export function readSubmission(updateId: number, message: Message, command: ParsedCommand | null, hashtag: string): SubmissionDecision {
  const submitter = personOf(message);
  const chat = message.chat;
  if (!submitter || message.from?.is_bot) return null;
  const text = messageText(message);
  const own = memeMediaOf(message);
  const base = { updateId, chat: chatRef(chat), replyToMessageId: message.message_id, date: message.date, submitter };
  const caption = (media: Message) => {
    const text = memeCaptionOf(media, hashtag);
    return text ? { caption: text } : {};
  };
  if (chat.type === 'private') {
    return own ? { kind: 'submit', job: { ...base, via: 'private', mediaMessageId: message.message_id, author: submitter, media: own, ...caption(message) } } : null;
  }
  if (chat.type !== 'group' && chat.type !== 'supergroup') return null;
  const reply = repliedMessageOf(message);
  const replied = reply ? memeMediaOf(reply) : null;
  if (command?.command === 'meme') {
    if (!reply || !replied) return { kind: 'hint', chat: base.chat, messageId: message.message_id };
    return { kind: 'submit', job: { ...base, via: 'command', mediaMessageId: reply.message_id, author: personOf(reply), media: replied, ...caption(reply) } };
  }
  if (!hasHashtag(text, hashtag)) return null;
  if (own) return { kind: 'submit', job: { ...base, via: 'hashtag', mediaMessageId: message.message_id, author: submitter, media: own, ...caption(message) } };
  if (reply && replied) {
    return { kind: 'submit', job: { ...base, via: 'hashtag', mediaMessageId: reply.message_id, author: personOf(reply), media: replied, ...caption(reply) } };
  }
  return null;
}
