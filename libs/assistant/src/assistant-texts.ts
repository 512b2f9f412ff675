import { escapeHtml, type BotLanguage } from '@kraken/chat';
import type { AssistantMode } from './modes';

/** Figures of `/t`: tokens of the current session against its model's window. */
export interface TokenUsage {
  used: number;
  window: number;
  percent: number;
}

/** What `/info` shows. */
export interface AssistantInfo {
  version: string;
  title: string | null;
  model: string;
  mode: string;
  usage: TokenUsage;
  /** This month's LLM spend of the user's private chat, in USD. */
  monthUsd: number;
}

/**
 * The assistant's own texts in Russian and English (Telegram HTML: every value put in is escaped
 * here). The language is the user's `language_code` (languageOf in @kraken/chat), else BOT_LANGUAGE.
 */
export interface AssistantTexts {
  modeNames: Record<AssistantMode, string>;
  untitled: string;
  textOnly: string;
  newSession(title: string | null): string;
  idleNotice(oldTitle: string | null): string;
  backButton: string;
  sessionsHeader: string;
  noSessions: string;
  switched(title: string | null): string;
  deleted(title: string | null): string;
  renamePrompt(title: string | null): string;
  renamed(title: string): string;
  cleared(turns: number): string;
  modelsHeader(current: string): string;
  noModels: string;
  modelSet(model: string, window: number): string;
  modelRefused: string;
  systemShown(prompt: string, custom: boolean): string;
  systemSet: string;
  systemReset: string;
  modesHeader(current: string): string;
  modeSet(mode: string): string;
  tokens(usage: TokenUsage): string;
  info(info: AssistantInfo): string;
  notYours: string;
  invalidButton: string;
  done: string;
}

const title = (t: string | null, fallback: string) => `«${escapeHtml(t ?? fallback)}»`;
const percent = (u: TokenUsage) => `${u.used.toLocaleString('en-US').replace(/,/g, ' ')} / ${u.window.toLocaleString('en-US').replace(/,/g, ' ')} (${u.percent.toFixed(1)} %)`;

const COMMANDS_RU = [
  '/new [название] — новый диалог',
  '/sessions — мои диалоги',
  '/clear — очистить текущий диалог',
  '/model — выбрать модель',
  '/system [текст|reset] — системный промпт',
  '/mode — режим (переводчик, редактор…)',
  '/t — занятость контекста',
  '/info — эта справка',
  '/cancel — остановить текущий запрос',
];
const COMMANDS_EN = [
  '/new [title] — a new conversation',
  '/sessions — my conversations',
  '/clear — empty the current conversation',
  '/model — choose a model',
  '/system [text|reset] — the system prompt',
  '/mode — a mode (translator, editor…)',
  '/t — how full the context is',
  '/info — this summary',
  '/cancel — stop the running request',
];

export const ASSISTANT_TEXTS: Record<BotLanguage, AssistantTexts> = {
  ru: {
    modeNames: { assistant: 'Ассистент', translator: 'Переводчик', editor: 'Редактор', programmer: 'Программист', summariser: 'Конспектор', teacher: 'Учитель' },
    untitled: 'Без названия',
    textOnly: 'Пока я понимаю только текст. Напишите вопрос словами.',
    newSession: (t) => (t ? `Новый диалог ${title(t, '')}. Спрашивайте.` : 'Новый диалог. Спрашивайте.'),
    idleNotice: (t) => `Прошло много времени — начинаю новый диалог. Прежний: ${title(t, 'Без названия')}.`,
    backButton: '↩️ Вернуться к прежнему',
    sessionsHeader: 'Ваши диалоги (текущий отмечен ●). Нажмите название, чтобы переключиться:',
    noSessions: 'Диалогов пока нет. Просто напишите вопрос или начните с /new.',
    switched: (t) => `Переключился на диалог ${title(t, 'Без названия')}.`,
    deleted: (t) => `Диалог ${title(t, 'Без названия')} удалён.`,
    renamePrompt: (t) => `Пришлите новое название для диалога ${title(t, 'Без названия')} следующим сообщением.`,
    renamed: (t) => `Диалог переименован: ${title(t, '')}.`,
    cleared: (n) => (n > 0 ? 'Текущий диалог очищен: начинаем с чистого листа.' : 'Текущий диалог и так пуст.'),
    modelsHeader: (m) => `Текущая модель: <b>${escapeHtml(m)}</b>. Выберите другую:`,
    noModels: 'В реестре нет доступных моделей.',
    modelSet: (m, w) => `Модель диалога: <b>${escapeHtml(m)}</b> (контекст ${w.toLocaleString('en-US').replace(/,/g, ' ')} токенов).`,
    modelRefused: 'Эта модель недоступна.',
    systemShown: (p, custom) => `${custom ? 'Ваш системный промпт' : 'Системный промпт режима'}:\n<blockquote expandable>${escapeHtml(p)}</blockquote>\nИзменить: /system &lt;текст&gt;, вернуть по умолчанию: /system reset`,
    systemSet: 'Системный промпт диалога обновлён.',
    systemReset: 'Системный промпт сброшен к промпту режима.',
    modesHeader: (m) => `Текущий режим: <b>${escapeHtml(m)}</b>. Выберите другой:`,
    modeSet: (m) => `Режим: <b>${escapeHtml(m)}</b>. Системный промпт диалога — промпт этого режима.`,
    tokens: (u) => `Контекст текущего диалога: ${percent(u)} токенов.`,
    info: (i) =>
      [
        `<b>Кракен</b> ${escapeHtml(i.version)} — личный ассистент.`,
        '',
        ...COMMANDS_RU.map(escapeHtml),
        '',
        `Диалог: ${title(i.title, 'Без названия')}`,
        `Модель: ${escapeHtml(i.model)}, режим: ${escapeHtml(i.mode)}`,
        `Контекст: ${percent(i.usage)} токенов`,
        `Расход за месяц: $${i.monthUsd.toFixed(4)}`,
      ].join('\n'),
    notYours: 'Это не ваш диалог.',
    invalidButton: 'Кнопка устарела или повреждена.',
    done: 'Готово',
  },
  en: {
    modeNames: { assistant: 'Assistant', translator: 'Translator', editor: 'Editor', programmer: 'Programmer', summariser: 'Summariser', teacher: 'Teacher' },
    untitled: 'Untitled',
    textOnly: 'For now I only understand text. Please write your question in words.',
    newSession: (t) => (t ? `New conversation ${title(t, '')}. Ask away.` : 'New conversation. Ask away.'),
    idleNotice: (t) => `It has been a while, so this is a new conversation. The previous one: ${title(t, 'Untitled')}.`,
    backButton: '↩️ Back to the previous one',
    sessionsHeader: 'Your conversations (● marks the current one). Tap a title to switch:',
    noSessions: 'No conversations yet. Just ask a question, or start with /new.',
    switched: (t) => `Switched to ${title(t, 'Untitled')}.`,
    deleted: (t) => `Deleted ${title(t, 'Untitled')}.`,
    renamePrompt: (t) => `Send the new title for ${title(t, 'Untitled')} as your next message.`,
    renamed: (t) => `Renamed to ${title(t, '')}.`,
    cleared: (n) => (n > 0 ? 'The current conversation is empty now: a clean slate.' : 'The current conversation is already empty.'),
    modelsHeader: (m) => `Current model: <b>${escapeHtml(m)}</b>. Choose another:`,
    noModels: 'The registry offers no models.',
    modelSet: (m, w) => `This conversation's model: <b>${escapeHtml(m)}</b> (a ${w.toLocaleString('en-US')}-token context).`,
    modelRefused: 'That model is not available.',
    systemShown: (p, custom) => `${custom ? 'Your system prompt' : "The mode's system prompt"}:\n<blockquote expandable>${escapeHtml(p)}</blockquote>\nChange it: /system &lt;text&gt;; back to the default: /system reset`,
    systemSet: "This conversation's system prompt is updated.",
    systemReset: "The system prompt is back to the mode's preset.",
    modesHeader: (m) => `Current mode: <b>${escapeHtml(m)}</b>. Choose another:`,
    modeSet: (m) => `Mode: <b>${escapeHtml(m)}</b>. The conversation now uses this mode's system prompt.`,
    tokens: (u) => `Context of the current conversation: ${percent(u)} tokens.`,
    info: (i) =>
      [
        `<b>Kraken</b> ${escapeHtml(i.version)} — your private assistant.`,
        '',
        ...COMMANDS_EN.map(escapeHtml),
        '',
        `Conversation: ${title(i.title, 'Untitled')}`,
        `Model: ${escapeHtml(i.model)}, mode: ${escapeHtml(i.mode)}`,
        `Context: ${percent(i.usage)} tokens`,
        `Spent this month: $${i.monthUsd.toFixed(4)}`,
      ].join('\n'),
    notYours: 'That conversation is not yours.',
    invalidButton: 'This button is outdated or damaged.',
    done: 'Done',
  },
};
