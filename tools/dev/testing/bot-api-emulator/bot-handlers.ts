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

  getFile: ({ params }, state) => {
    const file = state.files.get(String(params.file_id));
    if (!file) throw badRequest('Bad Request: invalid file_id');
    return { file_id: String(params.file_id), file_unique_id: file.file_unique_id, file_size: file.data.length, file_path: file.file_path };
  },

  getChat: ({ params }, state) => state.chats.fullInfo(params.chat_id),
  getChatMember: ({ params }, state) => state.chats.member(params.chat_id, params.user_id as number, state.bot),
  getChatMemberCount: ({ params }, state) => state.chats.memberCount(params.chat_id),
  getChatAdministrators: ({ params }, state) => state.chats.administrators(params.chat_id),

  setMyCommands: ({ params }, state) => {
    state.commands.set(commandsKey(params), params.commands as unknown[]);
    return true;
  },
  getMyCommands: ({ params }, state) => state.commands.get(commandsKey(params)) ?? [],
  deleteMyCommands: ({ params }, state) => {
    state.commands.delete(commandsKey(params));
    return true;
  },
};

/** Commands are stored per scope and language (https://core.telegram.org/bots/api#determining-list-of-commands). */
function commandsKey(params: Record<string, unknown>): string {
  return `${JSON.stringify(params.scope ?? { type: 'default' })}|${String(params.language_code ?? '')}`;
}
