import { countOf, escapeHtml, MONTH_NAMES, type BotLanguage, type WordForms } from '@kraken/chat';

export { countOf, monthLabel, type WordForms } from '@kraken/chat';

/** Why a digest carries headlines built from the numbers instead of the LLM's. */
export type FallbackReason = 'not-configured' | 'unavailable' | 'unparsable';

/** The digest's user-facing texts; builders that take names escape them for Telegram HTML. */
export interface DigestTexts {
  /** Month names in the nominative, January first. */
  months: readonly string[];
  messages: WordForms;
  people: WordForms;
  reactions: WordForms;
  title: (monthLabel: string, chatTitle: string | null) => string;
  numbersTitle: string;
  messagesLine: string;
  activeLine: string;
  membersLine: string;
  membersUnknown: string;
  joinsLeaves: (joins: number, leaves: number) => string;
  interactions: (replies: number, forwards: number, stories: number, edits: number) => string;
  byKindLine: string;
  kindNames: Record<string, string>;
  busiestDay: (date: string, messages: string) => string;
  noMessages: string;
  topPostersLine: string;
  memesLine: (submitted: number, approved: number, rejected: number, pending: number) => string;
  was: (previous: number) => string;
  /** An unchanged number, instead of `= 0%`. */
  noChange: string;
  headlinesTitle: string;
  /** Shown instead of headlines for a month without messages (no LLM call is made for it). */
  emptyMonthNote: string;
  fallbackNote: Record<FallbackReason, string>;
  bestMemesTitle: string;
  memeLink: (rank: number, author: string, reactions: string) => string;
  chartTitle: (monthLabel: string) => string;
  chartMessages: string;
  chartActive: string;
  /** Headlines built from the numbers (see fallbackHeadlines); each starts with `> <emoji> <lowercase>`. */
  fallback: {
    messages: (count: string, change: string) => string;
    changeMore: (percent: number) => string;
    changeLess: (percent: number) => string;
    changeSame: string;
    changeNew: string;
    active: (people: string) => string;
    topPoster: (name: string, messages: string) => string;
    noTopPoster: string;
    busiestDay: (date: string, messages: string) => string;
    noBusiestDay: string;
    replies: (count: number) => string;
    forwards: (count: number) => string;
    members: (joins: number, leaves: number) => string;
    media: (photos: number, videos: number, stickers: number) => string;
    edits: (count: number) => string;
    memes: (submitted: number, approved: number) => string;
  };
  /** Answers to /digest commands. */
  usage: string;
  adminsOnly: string;
  notConfigured: string;
  privateNeedsChat: string;
  previewSent: (monthLabel: string) => string;
  previewBlocked: string;
  previewAnonymous: string;
  published: (monthLabel: string) => string;
  alreadyPublished: (monthLabel: string) => string;
  busy: (monthLabel: string) => string;
  failed: (monthLabel: string) => string;
  /** `/digest` for the current or a future month. */
  notFinished: (monthLabel: string) => string;
  /** A forced re-post went out. */
  republished: (monthLabel: string) => string;
  /** A month without messages is not posted (DIGEST_EMPTY_MONTH=skip). */
  skipped: (monthLabel: string, month: string) => string;
}

/** The catalogue, keyed by language; Russian is the default. */
export const DIGEST_TEXTS: Record<BotLanguage, DigestTexts> = {
  ru: {
    months: MONTH_NAMES.ru,
    messages: { one: 'сообщение', few: 'сообщения', many: 'сообщений', other: 'сообщения' },
    people: { one: 'человек', few: 'человека', many: 'человек', other: 'человека' },
    reactions: { one: 'реакция', few: 'реакции', many: 'реакций', other: 'реакции' },
    title: (month, chat) => `<b>📰 Дайджест${chat ? ` «${escapeHtml(chat.slice(0, 128))}»` : ''} за ${month}</b>`,
    numbersTitle: '<b>📊 Цифры месяца</b>',
    messagesLine: 'Сообщений',
    activeLine: 'Активных участников',
    membersLine: 'Участников',
    membersUnknown: 'Участников: нет данных',
    joinsLeaves: (joins, leaves) => `Вступили: ${joins} · вышли: ${leaves}`,
    interactions: (replies, forwards, stories, edits) => `Ответов: ${replies} · пересылок: ${forwards} · историй: ${stories} · правок: ${edits}`,
    byKindLine: 'По типам',
    kindNames: {
      text: 'текст', photo: 'фото', video: 'видео', animation: 'GIF', sticker: 'стикеры', voice: 'голосовые', video_note: 'кружки',
      audio: 'аудио', document: 'файлы', poll: 'опросы', story: 'истории', other: 'прочее',
    },
    busiestDay: (date, messages) => `Самый активный день: ${date} — ${messages}`,
    noMessages: 'Сообщений не было.',
    topPostersLine: 'Больше всех писали',
    memesLine: (s, a, r, p) => `Мемы: предложено ${s} · одобрено ${a} · отклонено ${r} · ждут ${p}`,
    was: (previous) => `(было ${previous})`,
    noChange: 'без изменений',
    headlinesTitle: '<b>🗞 Тема месяца</b>',
    emptyMonthNote: '<i>💤 За месяц в чате не было ни одного сообщения — заголовкам не из чего взяться.</i>',
    fallbackNote: {
      'not-configured': '<i>⚙️ Заголовки собраны из цифр: языковая модель не подключена.</i>',
      unavailable: '<i>⚙️ Заголовки собраны из цифр: языковая модель не ответила.</i>',
      unparsable: '<i>⚙️ Заголовки собраны из цифр: ответ языковой модели не удалось разобрать.</i>',
    },
    bestMemesTitle: '<b>😂 Лучшие мемы</b>',
    memeLink: (rank, author, reactions) => `${rank}. ${author} — ${reactions}`,
    chartTitle: (month) => `Активность по дням — ${month}`,
    chartMessages: 'Сообщения',
    chartActive: 'Активные участники',
    fallback: {
      messages: (count, change) => `> 📊 за месяц — ${count}, ${change}`,
      changeMore: (p) => `на ${p}% больше, чем месяцем раньше`,
      changeLess: (p) => `на ${p}% меньше, чем месяцем раньше`,
      changeSame: 'столько же, сколько месяцем раньше',
      changeNew: 'а месяцем раньше была тишина',
      active: (people) => `> 👥 в чате писали ${people}`,
      topPoster: (name, messages) => `> 🏆 главный писатель месяца — ${name}: ${messages}`,
      noTopPoster: '> 🏆 главного писателя месяца нет: никто ничего не писал',
      busiestDay: (date, messages) => `> 📅 самый жаркий день — ${date}: ${messages}`,
      noBusiestDay: '> 📅 жарких дней не случилось',
      replies: (n) => `> ↩️ ответов друг другу: ${n}`,
      forwards: (n) => `> 🔁 пересланных сообщений: ${n}`,
      members: (j, l) => `> 🚪 пришли ${j}, ушли ${l}`,
      media: (p, v, s) => `> 🖼 фото — ${p}, видео — ${v}, стикеров — ${s}`,
      edits: (n) => `> ✏️ сообщения правили ${countOf('ru', n, { one: 'раз', few: 'раза', many: 'раз', other: 'раза' })}`,
      memes: (s, a) => `> 😂 мемов предложено ${s}, одобрено ${a}`,
    },
    usage:
      'Формат: <code>/digest preview|publish [ГГГГ-ММ]</code> (без месяца — прошлый месяц). ' +
      'Опубликовать месяц ещё раз: <code>/digest publish ГГГГ-ММ --force</code>.',
    adminsOnly: 'Эта команда только для администраторов чата.',
    notConfigured: 'Дайджест для этого чата не настроен (DIGEST_CHATS).',
    privateNeedsChat: 'Отправь команду в чате, дайджест которого нужен.',
    previewSent: (month) => `Превью дайджеста за ${month} отправил тебе в личные сообщения.`,
    previewBlocked: 'Не могу написать тебе в личные сообщения: открой диалог со мной и нажми «Старт», затем повтори команду.',
    previewAnonymous: 'Анонимному администратору превью не отправить: повтори команду от своего имени.',
    published: (month) => `Дайджест за ${month} опубликован.`,
    alreadyPublished: (month) => `Дайджест за ${month} уже опубликован. Чтобы опубликовать его ещё раз, добавь к команде <code>--force</code>.`,
    busy: (month) => `Дайджест за ${month} уже публикуется.`,
    failed: (month) => `Не удалось опубликовать дайджест за ${month}; подробности в логах.`,
    notFinished: (month) => `Месяц ещё не закончился: дайджест за ${month} можно сделать только после его окончания.`,
    republished: (month) => `Дайджест за ${month} опубликован повторно.`,
    skipped: (month, code) =>
      `За ${month} в чате не было сообщений, поэтому дайджест не публикуется. Опубликовать всё равно: <code>/digest publish ${code} --force</code>.`,
  },
  en: {
    months: MONTH_NAMES.en,
    messages: { one: 'message', other: 'messages' },
    people: { one: 'person', other: 'people' },
    reactions: { one: 'reaction', other: 'reactions' },
    title: (month, chat) => `<b>📰 ${chat ? `${escapeHtml(chat.slice(0, 128))} digest` : 'Digest'} for ${month}</b>`,
    numbersTitle: '<b>📊 The month in numbers</b>',
    messagesLine: 'Messages',
    activeLine: 'Active participants',
    membersLine: 'Members',
    membersUnknown: 'Members: unknown',
    joinsLeaves: (joins, leaves) => `Joined: ${joins} · left: ${leaves}`,
    interactions: (replies, forwards, stories, edits) => `Replies: ${replies} · forwards: ${forwards} · stories: ${stories} · edits: ${edits}`,
    byKindLine: 'By kind',
    kindNames: {
      text: 'text', photo: 'photos', video: 'videos', animation: 'GIFs', sticker: 'stickers', voice: 'voice', video_note: 'video notes',
      audio: 'audio', document: 'files', poll: 'polls', story: 'stories', other: 'other',
    },
    busiestDay: (date, messages) => `Busiest day: ${date} — ${messages}`,
    noMessages: 'No messages.',
    topPostersLine: 'Top posters',
    memesLine: (s, a, r, p) => `Memes: submitted ${s} · approved ${a} · rejected ${r} · pending ${p}`,
    was: (previous) => `(was ${previous})`,
    noChange: 'no change',
    headlinesTitle: '<b>🗞 Topic of the month</b>',
    emptyMonthNote: '<i>💤 Not a single message in the chat this month, so there is nothing to write headlines about.</i>',
    fallbackNote: {
      'not-configured': '<i>⚙️ Headlines built from the numbers: no language model is configured.</i>',
      unavailable: '<i>⚙️ Headlines built from the numbers: the language model did not answer.</i>',
      unparsable: '<i>⚙️ Headlines built from the numbers: the language model’s answer could not be read.</i>',
    },
    bestMemesTitle: '<b>😂 Best memes</b>',
    memeLink: (rank, author, reactions) => `${rank}. ${author} — ${reactions}`,
    chartTitle: (month) => `Activity per day — ${month}`,
    chartMessages: 'Messages',
    chartActive: 'Active participants',
    fallback: {
      messages: (count, change) => `> 📊 this month: ${count}, ${change}`,
      changeMore: (p) => `${p}% more than the month before`,
      changeLess: (p) => `${p}% fewer than the month before`,
      changeSame: 'as many as the month before',
      changeNew: 'after a silent month',
      active: (people) => `> 👥 active in the chat: ${people}`,
      topPoster: (name, messages) => `> 🏆 writer of the month: ${name} with ${messages}`,
      noTopPoster: '> 🏆 no writer of the month: nobody wrote',
      busiestDay: (date, messages) => `> 📅 the busiest day was ${date}: ${messages}`,
      noBusiestDay: '> 📅 no busy days at all',
      replies: (n) => `> ↩️ replies to each other: ${n}`,
      forwards: (n) => `> 🔁 forwarded messages: ${n}`,
      members: (j, l) => `> 🚪 joined: ${j}, left: ${l}`,
      media: (p, v, s) => `> 🖼 photos: ${p}, videos: ${v}, stickers: ${s}`,
      edits: (n) => `> ✏️ messages were edited ${countOf('en', n, { one: 'time', other: 'times' })}`,
      memes: (s, a) => `> 😂 memes submitted: ${s}, approved: ${a}`,
    },
    usage: 'Usage: <code>/digest preview|publish [YYYY-MM]</code> (no month: last month). To post a month again: <code>/digest publish YYYY-MM --force</code>.',
    adminsOnly: 'This command is for chat admins only.',
    notConfigured: 'The digest is not configured for this chat (DIGEST_CHATS).',
    privateNeedsChat: 'Send the command in the chat whose digest you want.',
    previewSent: (month) => `I sent you the preview of the ${month} digest in private.`,
    previewBlocked: 'I cannot write to you in private: open a chat with me, press Start, then repeat the command.',
    previewAnonymous: 'I cannot send a preview to an anonymous admin: repeat the command as yourself.',
    published: (month) => `The ${month} digest is published.`,
    alreadyPublished: (month) => `The ${month} digest was already published. To post it again, add <code>--force</code> to the command.`,
    busy: (month) => `The ${month} digest is being published right now.`,
    failed: (month) => `The ${month} digest could not be published; see the logs.`,
    notFinished: (month) => `The month is not over yet: the ${month} digest can only be made once it has ended.`,
    republished: (month) => `The ${month} digest is posted again.`,
    skipped: (month, code) => `There were no messages in ${month}, so no digest is posted. To post it anyway: <code>/digest publish ${code} --force</code>.`,
  },
};

/** `12.09.2024` (ru) / `2024-09-12` (en) for a `YYYY-MM-DD` day. */
export function dayLabel(language: BotLanguage, day: string): string {
  const [y, m, d] = day.split('-');
  return language === 'ru' ? `${d}.${m}.${y}` : day;
}
