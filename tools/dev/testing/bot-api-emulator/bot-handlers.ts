import { BotApiError, badRequest } from './bot-api-error';
import type { MethodHandler } from './emulator-state';
import type { PollRequest } from './update-queue';

/**
 * Handlers of the bot-level and chat-info methods Kraken uses: getMe, webhooks, getUpdates,
 * commands, callback answers, chat actions and chat/member lookups
 * (https://core.telegram.org/bots/api#available-methods).
 */
export const BOT_HANDLERS: Record<string, MethodHandler> = {
  getMe: (_request, state) => state.bot,

  setWebhook: ({ params }, state) => {
    const url = String(params.url ?? '');
    if (params.drop_pending_updates === true) state.updates.clear();
    state.updates.setAllowedUpdates(params.allowed_updates as string[] | undefined);
    if (url === '') {
      state.webhook.delete();
      return true;
    }
    if (!/^https?:\/\/[^/]+/i.test(url)) throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
    state.updates.terminatePoll(new BotApiError(409, 'Conflict: terminated by setWebhook request'));
    state.webhook.set({
      url,
      secretToken: params.secret_token as string | undefined,
      maxConnections: params.max_connections as number | undefined,
      ipAddress: params.ip_address as string | undefined,
    });
    return true;
  },

  deleteWebhook: ({ params }, state) => {
    if (params.drop_pending_updates === true) state.updates.clear();
    state.webhook.delete();
    return true;
  },

  getWebhookInfo: (_request, state) => state.webhook.info(),

  getUpdates: ({ params, signal }, state) => {
    if (state.webhook.active) {
      throw new BotApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    return state.updates.poll(params as PollRequest, signal);
  },

  sendChatAction: ({ params }, state) => {
    state.chats.idOf(params.chat_id);
    return true;
  },

  answerCallbackQuery: ({ params }) => {
    if (typeof params.text === 'string' && params.text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
    return true;
  },

  getFile: ({ params }, state) => state.files.getFile(String(params.file_id)),

  getChat: ({ params }, state) => state.chats.fullInfo(params.chat_id),
  getChatMember: ({ params }, state) => state.chats.member(params.chat_id, params.user_id as number, state.bot),
  getChatMemberCount: ({ params }, state) => state.chats.memberCount(params.chat_id),
  getChatAdministrators: ({ params }, state) => state.chats.administrators(params.chat_id),

  setMyCommands: ({ params }, state) => {
    checkLanguageCode(params.language_code);
    state.commands.set(commandsKey(params), params.commands as unknown[]);
    return true;
  },
  getMyCommands: ({ params }, state) => {
    checkLanguageCode(params.language_code);
    return state.commands.get(commandsKey(params)) ?? [];
  },
  deleteMyCommands: ({ params }, state) => {
    state.commands.delete(commandsKey(params));
    return true;
  },
};

/**
 * Commands are stored per scope and language (https://core.telegram.org/bots/api#determining-list-of-commands):
 * the key is the scope's fields in a fixed order (so `{ chat_id, type }` and `{ type, chat_id }` are one
 * scope) and the language code.
 */
export function commandsKey(params: { scope?: unknown; language_code?: unknown }): string {
  const scope = (params.scope ?? { type: 'default' }) as Record<string, unknown>;
  const sorted = Object.fromEntries(Object.keys(scope).sort().map((key) => [key, scope[key]]));
  return `${JSON.stringify(sorted)}|${String(params.language_code ?? '')}`;
}

/**
 * language_code is "a two-letter ISO 639-1 language code" or empty; the emulator refuses others
 * (`ru-RU`, `RU`) so a wrong code cannot silently miss every user.
 *
 * @throws BotApiError 400.
 */
function checkLanguageCode(code: unknown): void {
  if (code !== undefined && code !== '' && !/^[a-z]{2}$/.test(String(code))) throw badRequest('invalid language code specified');
}
