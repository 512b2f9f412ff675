import type { QuestionPolicy } from '@kraken/config';
import type { BudgetRefusal, ChatUsageReport } from '@kraken/llm';

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
  usageTitle: (month: string) => string;
  usageEmpty: string;
  usageModel: (m: ChatUsageReport['models'][number]) => string;
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

/** The catalogue, keyed by language. Russian is the default (BOT_LANGUAGE=ru). */
export const CHAT_TEXTS: Record<BotLanguage, ChatTexts> = {
  ru: {
    notConfigured: 'Я пока не подключён к языковой модели: администратору нужно указать ключ LLM (LLM_PROVIDERS и LLM_…_API_KEY) в настройках Kraken.',
    apology: 'Простите, сейчас не могу ответить: языковая модель недоступна. Попробуйте чуть позже.',
    adminsOnly: 'Эта команда только для администраторов чата.',
    policyLabels: { off: 'не отвечать', all: 'отвечать на все', quiet: 'отвечать, если никто не ответил' },
    policySet: (label) => `Готово. Вопросы без обращения ко мне: ${label}.`,
    policyHelp: (label) => `Вопросы без обращения ко мне: ${label}.\nИзменить: /policy off | all | quiet`,
    usageTitle: (month) => `<b>Расход LLM за ${month}</b>`,
    usageEmpty: 'В этом месяце запросов к языковой модели не было.',
    usageModel: (m) =>
      `• <code>${escapeHtml(m.model)}</code>: ${ru(m.requests)} запр. (из кэша ${ru(m.cacheHits)}), ${ru(m.promptTokens)} + ${ru(m.completionTokens)} токенов, ${usd(m.costUsd)}`,
    usageTopUsers: '<b>Чаще всех спрашивали</b>',
    usageUser: (rank, name, requests, costUsd) => `${rank}. ${escapeHtml(name)}: ${ru(requests)} запр., ${usd(costUsd)}`,
    userLimit: (minutes) => `Вы задали много вопросов подряд. Следующий ответ — примерно через ${ru(minutes)} мин.`,
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
    usageTitle: (month) => `<b>LLM usage in ${month}</b>`,
    usageEmpty: 'No language-model requests this month.',
    usageModel: (m) =>
      `• <code>${escapeHtml(m.model)}</code>: ${en(m.requests)} requests (${en(m.cacheHits)} cached), ${en(m.promptTokens)} + ${en(m.completionTokens)} tokens, ${usd(m.costUsd)}`,
    usageTopUsers: '<b>Top askers</b>',
    usageUser: (rank, name, requests, costUsd) => `${rank}. ${escapeHtml(name)}: ${en(requests)} requests, ${usd(costUsd)}`,
    userLimit: (minutes) => `You have asked a lot in a row. My next answer comes in about ${en(minutes)} min.`,
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
 * The /usage answer (Telegram HTML): totals per model and the top users of `month` (`YYYY-MM`);
 * `names` maps user ids to display names (unknown ids are shown as `id <n>`).
 */
export function formatUsageReport(language: BotLanguage, month: string, report: ChatUsageReport, names: ReadonlyMap<number, string>): string {
  const t = CHAT_TEXTS[language];
  if (report.models.length === 0) return `${t.usageTitle(month)}\n${t.usageEmpty}`;
  const lines = [t.usageTitle(month), ...report.models.map(t.usageModel)];
  if (report.topUsers.length) {
    lines.push('', t.usageTopUsers);
    report.topUsers.forEach((u, i) => lines.push(t.usageUser(i + 1, names.get(u.userId) ?? `id ${u.userId}`, u.requests, u.costUsd)));
  }
  return lines.join('\n');
}
