import { escapeHtml, type BotLanguage } from '@kraken/chat';

/** The texts of the assistant's limits and of `/cancel` (Telegram HTML; values escaped here). */
export interface AssistantLimitTexts {
  /** The user's own daily (`day`) or monthly (`month`) budget is used up until `resetAt` (already formatted). */
  overBudget(period: 'day' | 'month', resetAt: string): string;
  /** Sent when `/cancel` stopped the running request. */
  cancelled: string;
  /** `/cancel` with nothing running. */
  nothingToCancel: string;
}

/** AssistantLimitTexts in Russian and English. */
export const ASSISTANT_LIMIT_TEXTS: Record<BotLanguage, AssistantLimitTexts> = {
  ru: {
    overBudget: (period, resetAt) =>
      `Извините, ваш ${period === 'day' ? 'дневной' : 'месячный'} лимит на ассистента исчерпан. Он обновится ${escapeHtml(resetAt)}.`,
    cancelled: 'Запрос отменён.',
    nothingToCancel: 'Сейчас нечего отменять.',
  },
  en: {
    overBudget: (period, resetAt) => `Sorry, your ${period === 'day' ? 'daily' : 'monthly'} assistant budget is used up. It resets ${escapeHtml(resetAt)}.`,
    cancelled: 'Request cancelled.',
    nothingToCancel: 'Nothing is running.',
  },
};

/** `at` as a date and time in time zone `tz`, written for `language` (e.g. `28 нояб. 2026 г., 00:00`). */
export function formatResetTime(at: Date, tz: string, language: BotLanguage): string {
  return at.toLocaleString(language === 'ru' ? 'ru-RU' : 'en-GB', { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' }) + ` (${tz})`;
}
