import type { Context, NarrowedContext } from 'telegraf';
import type { Update } from 'telegraf/types';

/**
 * The Telegraf context of an `@On('message')` handler, typed as Telegraf types `bot.on('message')`:
 * Telegraf calls the handler only for updates carrying a `message`. The message's fields Kraken reads
 * were checked at the door (ignoreMalformedUpdates); the others are typed as Telegram documents them
 * but unchecked, so code reading one of those keeps a runtime check (e.g. `from.language_code`).
 */
export type MessageContext = NarrowedContext<Context, Update.MessageUpdate>;

/** The Telegraf context of an `@On('edited_message')` handler (see MessageContext). */
export type EditedMessageContext = NarrowedContext<Context, Update.EditedMessageUpdate>;

/** The Telegraf context of an `@On('my_chat_member')` handler (see MessageContext). */
export type MyChatMemberContext = NarrowedContext<Context, Update.MyChatMemberUpdate>;
