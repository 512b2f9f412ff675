import { escapeHtml, type BotLanguage } from './chat-texts';

/** What the introduction texts mention about this deployment (escaped by the builders). */
export interface IntroContext {
  /** The bot's @username without `@` (getMe). */
  username: string;
  /** The first of BOT_NAMES, e.g. `Кракен`. */
  name: string;
  /** MEME_HASHTAG, e.g. `#мем`. */
  hashtag: string;
}

/** A command of a menu (BotCommand: 1–32 of `[a-z0-9_]`, description 1–256, https://core.telegram.org/bots/api#botcommand). */
export interface MenuCommand {
  command: string;
  description: string;
}

/**
 * Kraken introducing itself (Telegram HTML): /start and /help, the hello when added to a group, the
 * warnings about what it cannot do there, and the descriptions of its command menus.
 */
export interface IntroTexts {
  /** /start in private: a welcome, then the private help. */
  start: (c: IntroContext) => string;
  helpPrivate: (c: IntroContext) => string;
  helpGroup: (c: IntroContext) => string;
  /** Posted in a group Kraken was just added to. */
  hello: (c: IntroContext) => string;
  /** Kraken is a plain member with privacy mode on; `adder` is an HTML mention or null. */
  cannotSee: (adder: string | null) => string;
  /** To the adder in private: Kraken may not send messages in the group `title`. */
  cannotWrite: (title: string) => string;
  /** To the adder in private: Kraken administers the channel `title` without the right to post. */
  cannotPost: (title: string) => string;
  /** Menu descriptions by command. */
  commands: Record<'start' | 'help' | 'usage' | 'meme' | 'policy' | 'digest' | 'reject', string>;
}

const at = (c: IntroContext) => `@${escapeHtml(c.username)}`;

/** The catalogue, keyed by language; Russian is the default (BOT_LANGUAGE=ru) and says «ты». */
export const INTRO_TEXTS: Record<BotLanguage, IntroTexts> = {
  ru: {
    start: (c) => `Привет! 🐙\n\n${INTRO_TEXTS.ru.helpPrivate(c)}`,
    helpPrivate: (c) =>
      `Я ${escapeHtml(c.name)}, бот сообщества. Что я умею:\n` +
      `• отвечаю на вопросы: здесь — на любое сообщение, в группе — когда зовут: «${escapeHtml(c.name)}, …», ${at(c)} или ответ на моё сообщение;\n` +
      '• считаю статистику группы и раз в месяц собираю дайджест;\n' +
      '• принимаю мемы: пришли сюда фото, видео или GIF, после модерации мем может попасть в канал.\n\n' +
      'Команды:\n/help — эта справка\n/usage — расход языковой модели на наш разговор за месяц',
    helpGroup: (c) =>
      `Я ${escapeHtml(c.name)}, бот этого чата. Что я умею:\n` +
      `• отвечаю, когда зовут: «${escapeHtml(c.name)}, …», ${at(c)} или ответ на моё сообщение; на вопросы без обращения — по правилу чата (/policy);\n` +
      '• считаю статистику чата для ежемесячного дайджеста;\n' +
      `• принимаю мемы: ответь /meme или ${escapeHtml(c.hashtag)} на сообщение с фото, видео или GIF.\n\n` +
      'Команды:\n/help — эта справка\n/meme — предложить мем (ответом на сообщение с медиа)\n\n' +
      'Для админов:\n/policy — когда я отвечаю на вопросы без обращения\n/usage — расход языковой модели за месяц\n/digest preview|publish — дайджест за прошлый месяц',
    hello: (c) =>
      `Привет! Я ${escapeHtml(c.name)} 🐙 Отвечаю, когда зовут («${escapeHtml(c.name)}, …» или ${at(c)}), ` +
      'считаю статистику чата и принимаю мемы (/meme ответом на фото, видео или GIF). Все команды — /help.',
    cannotSee: (adder) =>
      `⚠️ ${adder ? `${adder}, я` : 'Я'} не вижу сообщений в этом чате: у меня включён режим приватности. ` +
      'Так я не считаю статистику и не слышу обращений — только команды.\n' +
      'Исправить: сделай меня администратором чата или в @BotFather отправь /setprivacy, выбери меня, нажми Disable — ' +
      'и затем удали меня из чата и добавь снова.',
    cannotWrite: (title) =>
      `⚠️ Меня добавили в «${escapeHtml(title)}», но писать там мне запрещено: я не смогу ни отвечать, ни здороваться. ` +
      'Разреши мне отправлять сообщения в настройках прав участников.',
    cannotPost: (title) =>
      `⚠️ В канале «${escapeHtml(title)}» у меня нет права публиковать сообщения: мемы и дайджест туда не попадут. ` +
      'Включи мне право «Публикация сообщений» в настройках администраторов канала.',
    commands: {
      start: 'Знакомство с ботом',
      help: 'Что я умею и мои команды',
      usage: 'Расход языковой модели за месяц',
      meme: 'Предложить мем (ответом на фото, видео или GIF)',
      policy: 'Когда я отвечаю на вопросы без обращения',
      digest: 'Дайджест за прошлый месяц: preview или publish',
      reject: 'Отклонить мем с причиной (ответом на карточку)',
    },
  },
  en: {
    start: (c) => `Hi! 🐙\n\n${INTRO_TEXTS.en.helpPrivate(c)}`,
    helpPrivate: (c) =>
      `I am ${escapeHtml(c.name)}, the community's bot. What I do:\n` +
      `• I answer questions: here, any message; in the group, when called: “${escapeHtml(c.name)}, …”, ${at(c)} or a reply to my message;\n` +
      '• I keep the group’s statistics and put together a monthly digest;\n' +
      '• I take memes: send me a photo, video or GIF here; after moderation it may reach the channel.\n\n' +
      'Commands:\n/help — this help\n/usage — language-model usage of our chat this month',
    helpGroup: (c) =>
      `I am ${escapeHtml(c.name)}, this chat’s bot. What I do:\n` +
      `• I answer when called: “${escapeHtml(c.name)}, …”, ${at(c)} or a reply to my message; questions not addressed to me follow the chat’s rule (/policy);\n` +
      '• I keep the chat’s statistics for the monthly digest;\n' +
      `• I take memes: reply /meme or ${escapeHtml(c.hashtag)} to a message with a photo, video or GIF.\n\n` +
      'Commands:\n/help — this help\n/meme — submit a meme (as a reply to a media message)\n\n' +
      'For admins:\n/policy — when I answer questions not addressed to me\n/usage — language-model usage this month\n/digest preview|publish — last month’s digest',
    hello: (c) =>
      `Hi! I am ${escapeHtml(c.name)} 🐙 I answer when called (“${escapeHtml(c.name)}, …” or ${at(c)}), ` +
      'keep the chat’s statistics and take memes (/meme as a reply to a photo, video or GIF). All commands: /help.',
    cannotSee: (adder) =>
      `⚠️ ${adder ? `${adder}, I` : 'I'} cannot see the messages in this chat: my privacy mode is on. ` +
      'So I count nothing and do not hear when I am called — only commands.\n' +
      'To fix it: make me an admin of the chat, or send /setprivacy to @BotFather, choose me, press Disable — ' +
      'then remove me from the chat and add me again.',
    cannotWrite: (title) =>
      `⚠️ I was added to “${escapeHtml(title)}” but may not write there: I can neither answer nor say hello. ` +
      'Allow me to send messages in the members’ permissions.',
    cannotPost: (title) =>
      `⚠️ In the channel “${escapeHtml(title)}” I may not post: memes and digests will not reach it. ` +
      'Give me the “Post messages” right in the channel’s administrator settings.',
    commands: {
      start: 'Meet the bot',
      help: 'What I do and my commands',
      usage: 'Language-model usage this month',
      meme: 'Submit a meme (as a reply to a photo, video or GIF)',
      policy: 'When I answer questions not addressed to me',
      digest: 'Last month’s digest: preview or publish',
      reject: 'Reject a meme with a reason (as a reply to its card)',
    },
  },
};

/** BotCommandScope types of the menus (https://core.telegram.org/bots/api#botcommandscope). */
export type MenuScope = 'all_private_chats' | 'all_group_chats' | 'all_chat_administrators';

/** Commands shown per scope: private chats, group members, group admins (a superset of the members' menu). */
const MENU_COMMANDS: Record<MenuScope, ReadonlyArray<keyof IntroTexts['commands']>> = {
  all_private_chats: ['start', 'help', 'usage'],
  all_group_chats: ['help', 'meme'],
  all_chat_administrators: ['help', 'meme', 'policy', 'usage', 'digest', 'reject'],
};

/** The command menu of `scope` in `language`, for setMyCommands. */
export function commandMenu(scope: MenuScope, language: BotLanguage): MenuCommand[] {
  return MENU_COMMANDS[scope].map((command) => ({ command, description: INTRO_TEXTS[language].commands[command] }));
}

/** Every menu scope, in the order they are set. */
export const MENU_SCOPES: readonly MenuScope[] = ['all_private_chats', 'all_group_chats', 'all_chat_administrators'];
