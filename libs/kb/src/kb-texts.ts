import type { KbDocumentInfo, KbHit } from './kb-types';

/** Languages of the bot's own texts. */
export type KbLanguage = 'ru' | 'en';

/** The bot's texts for `/kb` (HTML; builders escape their inputs). */
export interface KbTexts {
  help: string;
  adminsOnly: string;
  sharedAdminsOnly: string;
  needReply: string;
  added: (title: string, id: number, chunks: number, scope: string) => string;
  refused: (reason: string) => string;
  tooLarge: (mb: number) => string;
  listEmpty: string;
  listTitle: (scope: string) => string;
  listItem: (d: KbDocumentInfo) => string;
  removed: (id: number, title: string) => string;
  notFound: (id: number) => string;
  askEmpty: string;
  askTitle: (question: string, threshold: number) => string;
  askHit: (h: KbHit, passes: boolean) => string;
  nothingFound: string;
  everyChat: string;
  chat: (id: number) => string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const snippet = (text: string) => escape(text.replace(/\s+/g, ' ').slice(0, 140));

/** Catalogue by language (BOT_LANGUAGE). */
export const KB_TEXTS: Record<KbLanguage, KbTexts> = {
  ru: {
    help: 'База знаний: ответь на файл (Markdown, TXT, HTML, PDF, DOCX) или текст командой /kb add [id чата]; /kb list [id чата]; /kb remove &lt;id&gt;; /kb ask [id чата] &lt;вопрос&gt;.',
    adminsOnly: 'База знаний чата — только для его администраторов.',
    sharedAdminsOnly: 'Общие документы (для всех чатов) добавляют и удаляют только администраторы Kraken (KB_ADMIN_IDS). Укажи id чата: /kb add -100…',
    needReply: 'Ответь командой /kb add на сообщение с файлом или текстом.',
    added: (title, id, chunks, scope) => `📚 Добавлено «${escape(title)}» (#${id}): ${chunks} разд. — ${scope}.`,
    refused: (reason) => `Не удалось добавить: ${escape(reason)}.`,
    tooLarge: (mb) => `Файл больше ${mb} МБ, такой не возьму.`,
    listEmpty: 'В базе знаний пока ничего нет.',
    listTitle: (scope) => `<b>📚 База знаний — ${scope}</b>`,
    listItem: (d) => `#${d.id} ${escape(d.title)} (${d.format}, ${d.chunkCount} разд.${d.chatId === null ? ', для всех чатов' : ''})`,
    removed: (id, title) => `Удалено: #${id} «${escape(title)}».`,
    notFound: (id) => `Документа #${id} нет.`,
    askEmpty: 'Напиши вопрос: /kb ask &lt;вопрос&gt;',
    askTitle: (q, threshold) => `<b>🔎 ${escape(q)}</b>\nпорог KB_MIN_SCORE = ${threshold}`,
    askHit: (h, passes) => `${passes ? '✅' : '▫️'} ${h.score.toFixed(3)}${h.similarity !== undefined ? ` / cos ${h.similarity.toFixed(3)}` : ''} — 📎 ${escape(h.title)}, §${h.ordinal}${h.heading ? ` (${escape(h.heading)})` : ''}: ${snippet(h.content)}`,
    nothingFound: 'Ничего не нашлось.',
    everyChat: 'для всех чатов',
    chat: (id) => `чат ${id}`,
  },
  en: {
    help: 'Knowledge base: reply /kb add [chat id] to a file (Markdown, TXT, HTML, PDF, DOCX) or a text; /kb list [chat id]; /kb remove &lt;id&gt;; /kb ask [chat id] &lt;question&gt;.',
    adminsOnly: "A chat's knowledge base is for its admins only.",
    sharedAdminsOnly: 'Documents for every chat are added and removed by Kraken admins only (KB_ADMIN_IDS). Give a chat id: /kb add -100…',
    needReply: 'Reply /kb add to a message with a file or a text.',
    added: (title, id, chunks, scope) => `📚 Added “${escape(title)}” (#${id}): ${chunks} sections — ${scope}.`,
    refused: (reason) => `Not added: ${escape(reason)}.`,
    tooLarge: (mb) => `The file is larger than ${mb} MB; I cannot take it.`,
    listEmpty: 'The knowledge base is empty.',
    listTitle: (scope) => `<b>📚 Knowledge base — ${scope}</b>`,
    listItem: (d) => `#${d.id} ${escape(d.title)} (${d.format}, ${d.chunkCount} sections${d.chatId === null ? ', every chat' : ''})`,
    removed: (id, title) => `Removed #${id} “${escape(title)}”.`,
    notFound: (id) => `There is no document #${id}.`,
    askEmpty: 'Add a question: /kb ask &lt;question&gt;',
    askTitle: (q, threshold) => `<b>🔎 ${escape(q)}</b>\nthreshold KB_MIN_SCORE = ${threshold}`,
    askHit: (h, passes) => `${passes ? '✅' : '▫️'} ${h.score.toFixed(3)}${h.similarity !== undefined ? ` / cos ${h.similarity.toFixed(3)}` : ''} — 📎 ${escape(h.title)}, §${h.ordinal}${h.heading ? ` (${escape(h.heading)})` : ''}: ${snippet(h.content)}`,
    nothingFound: 'Nothing found.',
    everyChat: 'every chat',
    chat: (id) => `chat ${id}`,
  },
};
