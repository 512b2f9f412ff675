import { escapeHtml, telegramHtmlToText, type BotLanguage } from '@kraken/chat';
import type { MemeCreditMode } from '@kraken/config';
import { memeCredit } from './meme-credit';
import type { MemeRecord } from './meme-record';
import { MEME_TEXTS } from './meme-texts';

/** Telegram's caption limit: 0-1,024 characters after entities parsing (https://core.telegram.org/bots/api#sendphoto). */
export const TELEGRAM_CAPTION_LIMIT = 1024;
/** Longest name shown in a caption: Telegram's first name (64) and last name (64) with a space. */
const NAME_CHARS = 129;
/** Longest rejection reason shown on a card (the submitter's note carries all of it). */
const REASON_CHARS = 200;

/** `text` cut to at most `max` UTF-16 units on a grapheme boundary (an emoji is never split), `…` marking a cut. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = '';
  for (const { segment } of new Intl.Segmenter('ru', { granularity: 'grapheme' }).segment(text)) {
    if (cut.length + segment.length > max - 1) break;
    cut += segment;
  }
  return `${cut.trimEnd()}…`;
}

/**
 * Builds a caption (Telegram HTML) around a user's caption text: `compose` gets the text escaped
 * (empty when there is none or nothing of it fits) and returns the whole caption; the text is cut
 * (with `…`) until what Telegram shows — tags dropped, entities decoded — is at most `limit` characters.
 * `compose('')` itself must fit (callers cap names and reasons so it does).
 */
export function fitCaption(compose: (captionHtml: string) => string, caption: string | null, limit = TELEGRAM_CAPTION_LIMIT): string {
  let kept = caption ?? '';
  for (;;) {
    if (!kept) return compose('');
    const html = compose(escapeHtml(kept));
    const over = telegramHtmlToText(html).length - limit;
    if (over <= 0) return html;
    kept = kept.length <= over + 1 ? '' : shorten(kept, kept.length - over);
  }
}

/**
 * The caption of a meme's moderation card: who made and submitted it, the submitter's caption, then
 * either how to reject with a reason (undecided) or the decision (approved/rejected by whom, and why)
 * — a decided card no longer invites `/reject`. Names are shown up to 129 characters, a reason up to
 * 200, the caption as much as fits Telegram's 1,024-character caption limit.
 */
export function moderationCardCaption(meme: MemeRecord, language: BotLanguage): string {
  const t = MEME_TEXTS[language];
  const submitter = meme.submitterId === meme.authorId ? null : shorten(meme.submitterName, NAME_CHARS);
  const header = t.card(meme.id, meme.kind, shorten(meme.authorName, NAME_CHARS), submitter);
  const moderator = shorten(meme.decidedByName ?? '?', NAME_CHARS);
  const footer =
    meme.status === 'submitted'
      ? t.rejectHint
      : meme.status === 'approved'
        ? t.cardApproved(moderator)
        : t.cardRejected(moderator, meme.reason === null ? null : shorten(meme.reason, REASON_CHARS));
  return fitCaption((caption) => [header, caption ? t.captionLine(caption) : '', footer].filter(Boolean).join('\n'), meme.caption);
}

/**
 * The caption of an approved meme's channel post: the submitter's caption, then the credit line per
 * MEME_CREDIT (memeCredit), within Telegram's 1,024-character caption limit; empty when there is
 * neither.
 */
export function channelPostCaption(meme: MemeRecord, mode: MemeCreditMode, language: BotLanguage): string {
  const credit = memeCredit({ authorName: shorten(meme.authorName, NAME_CHARS), authorUsername: meme.authorUsername }, mode, language);
  return fitCaption((caption) => [caption, credit].filter(Boolean).join('\n\n'), meme.caption);
}
