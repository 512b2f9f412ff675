/** The bot's answers to `/link <code>`, per BOT_LANGUAGE (Russian by default). */
export const LINK_TEXTS = {
  ru: {
    linked: (name: string) => `Готово: этот Telegram привязан к аккаунту Kraken «${name}». Бюджеты и статистика теперь общие.`,
    invalid: 'Код не подошёл: он неверный, уже использован или истёк. Получите новый: POST /users/me/telegram-link.',
    usage: 'Отправьте /link <код>; код выдаёт API: POST /users/me/telegram-link.',
    privateOnly: 'Отправьте /link мне в личные сообщения. Этот код больше не действует: получите новый.',
    taken: 'Этот Telegram уже привязан к другому аккаунту Kraken. Сначала отвяжите его там.',
    tooMany: 'Слишком много попыток. Попробуйте позже.',
  },
  en: {
    linked: (name: string) => `Done: this Telegram account is linked to the Kraken account "${name}". Budgets and usage are now shared.`,
    invalid: 'That code did not work: it is wrong, used or expired. Get a new one: POST /users/me/telegram-link.',
    usage: 'Send /link <code>; the API gives you the code: POST /users/me/telegram-link.',
    privateOnly: 'Send /link to me in a private chat. This code no longer works: get a new one.',
    taken: 'This Telegram account is linked to another Kraken account. Unlink it there first.',
    tooMany: 'Too many attempts. Try again later.',
  },
} as const;
