import type { BotLanguage } from './chat-texts';

/** Word forms for a count: Russian needs one/few/many (Intl.PluralRules categories), English one/other. */
export interface WordForms {
  one: string;
  few?: string;
  many?: string;
  other: string;
}

/** The word form that goes with `count` in `language` (Intl.PluralRules), e.g. `сообщений` for 5. */
export function wordForm(language: BotLanguage, count: number, forms: WordForms): string {
  const category = new Intl.PluralRules(language).select(count);
  return category === 'one' ? forms.one : category === 'few' ? (forms.few ?? forms.other) : category === 'many' ? (forms.many ?? forms.other) : forms.other;
}

/** `count` with the right word form for `language`, e.g. `5 сообщений`. */
export function countOf(language: BotLanguage, count: number, forms: WordForms): string {
  return `${count} ${wordForm(language, count, forms)}`;
}

/** Month names in the nominative, January first, per language. */
export const MONTH_NAMES: Record<BotLanguage, readonly string[]> = {
  ru: ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** `ноябрь 2026` / `November 2026` for a month (`month` 1–12). */
export function monthLabel(language: BotLanguage, month: { year: number; month: number }): string {
  return `${MONTH_NAMES[language][month.month - 1]} ${month.year}`;
}
