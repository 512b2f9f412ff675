import { escapeHtml, type BotLanguage } from '@kraken/chat';
import type { MemeMediaKind } from './meme-record';

/** The meme flow's user-facing texts; every builder escapes its inputs for Telegram HTML. */
export interface MemeTexts {
  received: string;
  duplicate: string;
  disabled: string;
  /** The submitter reached MEME_SUBMISSIONS_PER_DAY (`perDay`). */
  overQuota: (perDay: number) => string;
  hint: string;
  approveButton: string;
  rejectButton: string;
  /** First line of a moderation card's caption: the meme, its author and (when another person) its submitter. */
  card: (id: number, kind: MemeMediaKind, author: string, submitter: string | null) => string;
  /** The submitter's caption on the card; takes it already escaped and cut (moderationCardCaption). */
  captionLine: (captionHtml: string) => string;
  /** Last line of an undecided card: how to reject with a reason. */
  rejectHint: string;
  cardApproved: (moderator: string) => string;
  cardRejected: (moderator: string, reason: string | null) => string;
  /** Callback answers (plain text, at most 200 characters: https://core.telegram.org/bots/api#answercallbackquery). */
  adminsOnly: string;
  alreadyDecided: (approved: boolean, moderator: string) => string;
  approvedToast: string;
  rejectedToast: string;
  unknownMeme: string;
  /** Credit line of a channel post. */
  credit: (who: string) => string;
  approvedNote: string;
  rejectedNote: (reason: string | null) => string;
}

const KIND_RU: Record<MemeMediaKind, string> = { photo: 'фото', video: 'видео', animation: 'GIF' };
const KIND_EN: Record<MemeMediaKind, string> = { photo: 'photo', video: 'video', animation: 'GIF' };

/** The catalogue, keyed by language; Russian is the default. */
export const MEME_TEXTS: Record<BotLanguage, MemeTexts> = {
  ru: {
    received: 'Мем отправлен на модерацию. Я напишу, когда его рассмотрят.',
    duplicate: 'Спасибо! Но этот мем уже предлагали — второй раз не отправляю 🙂',
    disabled: 'Приём мемов сейчас выключен.',
    overQuota: (perDay) => `На сегодня лимит предложений исчерпан (не больше ${perDay} в день). Приходи завтра!`,
    hint: 'Чтобы предложить мем, ответь /meme на сообщение с фото, видео или GIF.',
    approveButton: '✅ Одобрить',
    rejectButton: '❌ Отклонить',
    card: (id, kind, author, submitter) =>
      `Мем #${id} (${KIND_RU[kind]}). Автор: ${escapeHtml(author)}${submitter ? ` · отправитель: ${escapeHtml(submitter)}` : ''}`,
    captionLine: (caption) => `Подпись: ${caption}`,
    rejectHint: 'Отклонить с причиной: ответь на эту карточку <code>/reject причина</code>',
    cardApproved: (moderator) => `✅ Одобрено. Модератор: ${escapeHtml(moderator)}`,
    cardRejected: (moderator, reason) => `❌ Отклонено. Модератор: ${escapeHtml(moderator)}${reason ? `. Причина: ${escapeHtml(reason)}` : ''}`,
    adminsOnly: 'Решать могут только админы чата модерации.',
    alreadyDecided: (approved, moderator) => `Уже решено: ${approved ? 'одобрено' : 'отклонено'}. Модератор: ${moderator}.`,
    approvedToast: 'Одобрено, публикую в канале.',
    rejectedToast: 'Отклонено.',
    unknownMeme: 'Не нашёл этот мем.',
    credit: (who) => `Автор: ${escapeHtml(who)}`,
    approvedNote: 'Твой мем одобрили и опубликовали в канале 🎉',
    rejectedNote: (reason) => `Твой мем отклонили${reason ? `. Причина: ${escapeHtml(reason)}` : '.'}`,
  },
  en: {
    received: 'Your meme went to moderation. I will tell you how it went.',
    duplicate: 'Thanks! But this meme was already submitted, so I am not sending it again 🙂',
    disabled: 'Meme submissions are switched off right now.',
    overQuota: (perDay) => `You have reached today’s limit of submissions (${perDay} a day). Come back tomorrow!`,
    hint: 'To submit a meme, reply /meme to a message with a photo, video or GIF.',
    approveButton: '✅ Approve',
    rejectButton: '❌ Reject',
    card: (id, kind, author, submitter) =>
      `Meme #${id} (${KIND_EN[kind]}). Author: ${escapeHtml(author)}${submitter ? ` · sender: ${escapeHtml(submitter)}` : ''}`,
    captionLine: (caption) => `Caption: ${caption}`,
    rejectHint: 'To reject with a reason, reply to this card with <code>/reject reason</code>',
    cardApproved: (moderator) => `✅ Approved. Moderator: ${escapeHtml(moderator)}`,
    cardRejected: (moderator, reason) => `❌ Rejected. Moderator: ${escapeHtml(moderator)}${reason ? `. Reason: ${escapeHtml(reason)}` : ''}`,
    adminsOnly: 'Only admins of the moderation chat can decide.',
    alreadyDecided: (approved, moderator) => `Already decided: ${approved ? 'approved' : 'rejected'}. Moderator: ${moderator}.`,
    approvedToast: 'Approved, posting it to the channel.',
    rejectedToast: 'Rejected.',
    unknownMeme: 'I cannot find this meme.',
    credit: (who) => `By ${escapeHtml(who)}`,
    approvedNote: 'Your meme was approved and posted to the channel 🎉',
    rejectedNote: (reason) => `Your meme was rejected${reason ? `. Reason: ${escapeHtml(reason)}` : '.'}`,
  },
};
