import { countOf } from '@kraken/chat';
import type { RecapLanguage } from './chat-language';

/** The bot's own texts around a recap (HTML-safe; builders escape their inputs). */
export interface RecapTexts {
  title: string;
  window: (from: string, to: string, messages: number) => string;
  people: string;
  openQuestions: string;
  nothingImportant: string;
  cached: (time: string) => string;
  dropped: (n: number) => string;
  empty: string;
  purged: string;
  badArgs: string;
  privateChat: string;
}

const MESSAGES_RU = { one: 'сообщение', few: 'сообщения', many: 'сообщений', other: 'сообщения' };

/** Catalogue by language. */
export const RECAP_TEXTS: Record<RecapLanguage, RecapTexts> = {
  ru: {
    title: '🧾 <b>Что было в чате</b>',
    window: (from, to, n) => `${from} – ${to} · ${countOf('ru', n, MESSAGES_RU)}`,
    people: '👥',
    openQuestions: '❓ <b>Остались без ответа</b>',
    nothingImportant: 'Ничего заметного не обсуждали.',
    cached: (time) => `<i>Сводка от ${time}: новая — не чаще раза в интервал.</i>`,
    dropped: (n) => `<i>Самые ранние ${countOf('ru', n, MESSAGES_RU)} не вошли: окно слишком длинное.</i>`,
    empty: 'За этот период в чате нет сообщений, которые я видел.',
    purged: 'Тексты сообщений за этот период не сохранились (их хранят ограниченное время), так что пересказать нечего.',
    badArgs: 'Не понял период. Примеры: /recap, /recap 6h, /recap 200 или ответь командой /recap на сообщение, с которого начать.',
    privateChat: 'Сводка работает в группах: добавь меня в чат и спроси там.',
  },
  en: {
    title: '🧾 <b>What you missed</b>',
    window: (from, to, n) => `${from} – ${to} · ${n} ${n === 1 ? 'message' : 'messages'}`,
    people: '👥',
    openQuestions: '❓ <b>Left unanswered</b>',
    nothingImportant: 'Nothing notable was discussed.',
    cached: (time) => `<i>Recap made at ${time}: a new one at most once per interval.</i>`,
    dropped: (n) => `<i>The earliest ${n} ${n === 1 ? 'message was' : 'messages were'} left out: the window is too long.</i>`,
    empty: 'There are no messages I saw in this period.',
    purged: 'The texts of this period are no longer stored (they are kept for a limited time), so there is nothing to recap.',
    badArgs: 'I did not get the period. Examples: /recap, /recap 6h, /recap 200, or reply /recap to the message to start from.',
    privateChat: 'Recaps work in groups: add me to a chat and ask there.',
  },
};
