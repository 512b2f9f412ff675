import type { QuestionPolicy } from '@kraken/config';
import type { BudgetRefusal, ChatUsageReport } from '@kraken/llm';
import { monthLabel, wordForm, type WordForms } from './word-forms';

/** Languages of the bot's own texts (BOT_LANGUAGE). */
export type BotLanguage = 'ru' | 'en';

/** The bot's own user-facing texts (HTML-safe: no markup except where a builder escapes its inputs). */
export interface ChatTexts {
  notConfigured: string;
  apology: string;
  adminsOnly: string;
  policyLabels: Record<QuestionPolicy, string>;
  policySet: (label: string) => string;
  policyHelp: (label: string) => string;
  /** `/policy <value>` with a value that is not a policy: names it (plain text, escaped by the caller) and lists the values. */
  policyUnknown: (value: string, labels: Record<QuestionPolicy, string>, current: string) => string;
  /** Title of /usage for a month in words (`ноябрь 2026`). */
  usageTitle: (month: string) => string;
  usageEmpty: string;
  usageModel: (m: ChatUsageReport['models'][number]) => string;
  /** What prompt (question) and completion (answer) tokens are. */
  usageTokensNote: string;
  usageTopUsers: string;
  usageUser: (rank: number, name: string, requests: number, costUsd: number) => string;
  /** The per-user limit was reached; `minutes` until the window ends (told once per window). */
  userLimit: (minutes: number) => string;
  /** The chat's answers per hour were used up; `minutes` until the hour ends (once per hour). */
  chatCap: (minutes: number) => string;
  /** An LLM budget was reached (once per chat per day). */
  overBudget: (refusal: BudgetRefusal) => string;
  /** A private chat of someone ALLOWED_PRIVATE_CHATS does not admit (once per refusal window). */
  privateNotAllowed: string;
}

const usd = (value: number) => `$${value.toFixed(value < 0.01 ? 4 : 2)}`;
const int = (locale: string) => (value: number) => value.toLocaleString(locale);
const ru = int('ru-RU');
const en = int('en-US');
const REQUESTS_RU: WordForms = { one: 'запрос', few: 'запроса', many: 'запросов', other: 'запроса' };
const REQUESTS_EN: WordForms = { one: 'request', other: 'requests' };
/** `1 234 запроса`: the count grouped as the locale writes it, with its word form. */
const requestsRu = (n: number) => `${ru(n)} ${wordForm('ru', n, REQUESTS_RU)}`;
const requestsEn = (n: number) => `${en(n)} ${wordForm('en', n, REQUESTS_EN)}`;
const policyValues = (labels: Record<QuestionPolicy, string>) => (Object.keys(labels) as QuestionPolicy[]).map((p) => `${p} — ${labels[p]}`).join('; ');

/** The catalogue, keyed by language. Russian is the default (BOT_LANGUAGE=ru). */
export const CHAT_TEXTS: Record<BotLanguage, ChatTexts> = {
  ru: {
    notConfigured: 'Я пока не подключён к языковой модели: администратору нужно указать ключ LLM (LLM_PROVIDERS и LLM_…_API_KEY) в настройках Kraken.',
    apology: 'Прости, сейчас не могу ответить: языковая модель недоступна. Попробуй чуть позже.',
    adminsOnly: 'Эта команда только для администраторов чата.',
    policyLabels: { off: 'не отвечать', all: 'отвечать на все', quiet: 'отвечать, если никто не ответил' },
    policySet: (label) => `Готово. Вопросы без обращения ко мне: ${label}.`,
    policyHelp: (label) => `Вопросы без обращения ко мне: ${label}.\nИзменить: /policy off | all | quiet`,
    policyUnknown: (value, labels, current) => `Не знаю такого значения: «${value}». Можно: ${policyValues(labels)}.\nСейчас: ${current}.`,
    usageTitle: (month) => `<b>Расход LLM за ${month}</b>`,
    usageEmpty: 'В этом месяце запросов к языковой модели не было.',
    usageModel: (m) =>
      `• <code>${escapeHtml(m.model)}</code>: ${requestsRu(m.requests)} (из кэша: ${ru(m.cacheHits)}), токены: вопросы ${ru(m.promptTokens)} + ответы ${ru(m.completionTokens)}, ${usd(m.costUsd)}`,
    usageTokensNote: '<i>Токены вопроса — всё, что я отправил модели (вопрос и контекст чата), токены ответа — то, что она написала.</i>',
    usageTopUsers: '<b>Чаще всех спрашивали</b>',
    usageUser: (rank, name, requests, costUsd) => `${rank}. ${escapeHtml(name)}: ${requestsRu(requests)}, ${usd(costUsd)}`,
    userLimit: (minutes) => `Слишком много вопросов подряд. Следующий ответ — примерно через ${ru(minutes)} мин.`,
    chatCap: (minutes) => `В этом чате сейчас слишком много вопросов ко мне. Следующий ответ — примерно через ${ru(minutes)} мин.`,
    overBudget: ({ scope, period }) =>
      `Лимит расходов на языковую модель ${scope === 'chat' ? 'для этого чата' : 'для всех чатов'} исчерпан ${period === 'day' ? 'на сегодня' : 'на этот месяц'}. ` +
      `Отвечу снова ${period === 'day' ? 'завтра' : 'в следующем месяце'}.`,
    privateNotAllowed: 'В личных сообщениях я отвечаю только участникам сообщества.',
  },
  en: {
    notConfigured: 'I am not connected to a language model yet: an admin needs to set an LLM key (LLM_PROVIDERS and LLM_…_API_KEY) in Kraken’s settings.',
    apology: 'Sorry, I cannot answer right now: the language model is unavailable. Please try again a bit later.',
    adminsOnly: 'This command is for chat admins only.',
    policyLabels: { off: 'never answered', all: 'always answered', quiet: 'answered when nobody else did' },
    policySet: (label) => `Done. Questions not addressed to me: ${label}.`,
    policyHelp: (label) => `Questions not addressed to me: ${label}.\nChange: /policy off | all | quiet`,
    policyUnknown: (value, labels, current) => `I do not know the value “${value}”. Values: ${policyValues(labels)}.\nNow: ${current}.`,
    usageTitle: (month) => `<b>LLM usage in ${month}</b>`,
    usageEmpty: 'No language-model requests this month.',
    usageModel: (m) =>
      `• <code>${escapeHtml(m.model)}</code>: ${requestsEn(m.requests)} (cached: ${en(m.cacheHits)}), tokens: questions ${en(m.promptTokens)} + answers ${en(m.completionTokens)}, ${usd(m.costUsd)}`,
    usageTokensNote: '<i>Question tokens are everything I sent to the model (the question and the chat context); answer tokens are what it wrote.</i>',
    usageTopUsers: '<b>Top askers</b>',
    usageUser: (rank, name, requests, costUsd) => `${rank}. ${escapeHtml(name)}: ${requestsEn(requests)}, ${usd(costUsd)}`,
    userLimit: (minutes) => `Too many questions in a row. My next answer comes in about ${en(minutes)} min.`,
    chatCap: (minutes) => `Too many questions for me in this chat right now. My next answer comes in about ${en(minutes)} min.`,
    overBudget: ({ scope, period }) =>
      `The language-model budget ${scope === 'chat' ? 'of this chat' : 'of all chats'} is used up ${period === 'day' ? 'for today' : 'for this month'}. ` +
      `I will answer again ${period === 'day' ? 'tomorrow' : 'next month'}.`,
    privateNotAllowed: 'In private chats I only answer members of the community.',
  },
};

/**
 * The language of a notice for one user: `ru` for a Telegram `language_code` starting with `ru`,
 * `en` for any other code, `fallback` (BOT_LANGUAGE) when the client sent none.
 */
export function languageOf(languageCode: unknown, fallback: BotLanguage): BotLanguage {
  if (typeof languageCode !== 'string' || languageCode === '') return fallback;
  return languageCode.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** Escapes `&`, `<`, `>` and `"` for Telegram HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The /usage answer (Telegram HTML): totals per model (requests, question and answer tokens, USD) and
 * the top users of `month` (e.g. `{ year: 2026, month: 11 }`, shown in words: `ноябрь 2026`);
 * `names` maps user ids to display names (unknown ids are shown as `id <n>`).
 */
export function formatUsageReport(language: BotLanguage, month: { year: number; month: number }, report: ChatUsageReport, names: ReadonlyMap<number, string>): string {
  const t = CHAT_TEXTS[language];
  const title = t.usageTitle(monthLabel(language, month));
  if (report.models.length === 0) return `${title}\n${t.usageEmpty}`;
  const lines = [title, ...report.models.map(t.usageModel), t.usageTokensNote];
  if (report.topUsers.length) {
    lines.push('', t.usageTopUsers);
    report.topUsers.forEach((u, i) => lines.push(t.usageUser(i + 1, names.get(u.userId) ?? `id ${u.userId}`, u.requests, u.costUsd)));
  }
  return lines.join('\n');
}
