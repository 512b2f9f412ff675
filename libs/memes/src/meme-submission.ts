import { parseCommand } from '@kraken/chat';
import type { ChatRef, MemeSubmitJob, Person } from '@kraken/contracts';
import { chatRef, displayName, messageText, senderOf, type AnyMessage, type Nameable } from '@kraken/telegram';
import { memeMediaOf } from './meme-media';

/** What the gateway needs to read meme submissions. */
export interface SubmissionRules {
  /** The bot's @username without `@`, so `/meme@<bot>` is recognised and `/meme@otherbot` is not. */
  botUsername?: string;
  /** MEME_HASHTAG, e.g. `#мем`. */
  hashtag: string;
}

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
export function personOf(message: AnyMessage): Person | null {
  const sender = senderOf(message);
  return sender ? { id: sender.id, name: sender.name, ...(sender.username ? { username: sender.username } : {}) } : null;
}

/** True when `text` carries `hashtag` as a whole tag (case-insensitive, not a prefix of a longer tag). */
export function hasHashtag(text: string, hashtag: string): boolean {
  const escaped = hashtag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'iu').test(text);
}

/**
 * Reads a new message (`message` update) as a meme submission:
 * - private chat: a photo, video or GIF is a submission (`via: private`);
 * - group: `/meme` (or `/meme@<bot>`) replying to a media message submits that media (`via: command`;
 *   without such a reply: `hint`); a media message whose caption carries the hashtag submits itself,
 *   and a message carrying the hashtag that replies to a media message submits that one (`via: hashtag`).
 * Bots' messages are ignored. The media message's sender is the credited author.
 */
export function readSubmission(updateId: number, message: AnyMessage, rules: SubmissionRules): SubmissionDecision {
  const submitter = personOf(message);
  const chat = message.chat as { id: number; type: string };
  if (!submitter || (message.from as { is_bot?: boolean } | undefined)?.is_bot) return null;
  const text = messageText(message);
  const own = memeMediaOf(message);
  const base = { updateId, chat: chatRef(chat as Parameters<typeof chatRef>[0]), replyToMessageId: message.message_id, date: message.date, submitter };
  if (chat.type === 'private') {
    return own ? { kind: 'submit', job: { ...base, via: 'private', mediaMessageId: message.message_id, author: submitter, media: own } } : null;
  }
  if (chat.type !== 'group' && chat.type !== 'supergroup') return null;
  const reply = message.reply_to_message as AnyMessage | undefined;
  const replied = reply ? memeMediaOf(reply) : null;
  if (parseCommand(text, rules.botUsername)?.command === 'meme') {
    if (!reply || !replied) return { kind: 'hint', chat: base.chat, messageId: message.message_id };
    return { kind: 'submit', job: { ...base, via: 'command', mediaMessageId: reply.message_id, author: personOf(reply), media: replied } };
  }
  if (!hasHashtag(text, rules.hashtag)) return null;
  if (own) return { kind: 'submit', job: { ...base, via: 'hashtag', mediaMessageId: message.message_id, author: submitter, media: own } };
  if (reply && replied) return { kind: 'submit', job: { ...base, via: 'hashtag', mediaMessageId: reply.message_id, author: personOf(reply), media: replied } };
  return null;
}
