import { badRequest } from './bot-api-error';
import type { EmulatorState, HandlerRequest, MethodHandler } from './emulator-state';
import type { MediaSource } from './media-files';
import { type MediaKind, captionFields, inlineKeyboard, mediaFields, newMessage, textFields } from './message-factory';

/**
 * Handlers of the message methods Kraken uses (https://core.telegram.org/bots/api#available-methods):
 * they return Message objects built by message-factory and keep what edits need to know.
 */
export const MESSAGE_HANDLERS: Record<string, MethodHandler> = {
  sendMessage: (request, state) => {
    const message = newMessage(state, request.params.chat_id, textFields(request.prepared.text), request.params);
    remember(state, message, { ...textFields(request.prepared.text), reply_markup: message.reply_markup });
    return message;
  },
  sendPhoto: (request, state) => sendMedia(request, state, 'photo', 'photo'),
  sendVideo: (request, state) => sendMedia(request, state, 'video', 'video'),
  sendAnimation: (request, state) => sendMedia(request, state, 'animation', 'animation'),
  sendDocument: (request, state) => sendMedia(request, state, 'document', 'document'),
  sendAudio: (request, state) => sendMedia(request, state, 'audio', 'audio'),

  sendMediaGroup: (request, state) => {
    const groupId = `${state.nowMs()}${String(++mediaGroupCounter).padStart(4, '0')}`;
    return (request.prepared.media ?? []).map((item) => {
      const content = {
        media_group_id: groupId,
        ...mediaFields(item.type as MediaKind, item.upload ?? item.media, {}),
        ...captionFields(item.caption),
      };
      const message = newMessage(state, request.params.chat_id, content, request.params);
      remember(state, message, { ...captionFields(item.caption) });
      return message;
    });
  },

  copyMessage: (request, state) => ({ message_id: state.chats.nextMessageId(request.params.chat_id) }),

  forwardMessage: (request, state) => {
    const fromChat = state.chats.chat(request.params.from_chat_id);
    const sourceId = request.params.message_id as number;
    const date = Math.floor(state.nowMs() / 1000);
    const forwardOrigin =
      fromChat.type === 'private'
        ? { type: 'user', date, sender_user: { id: fromChat.id, is_bot: false, first_name: fromChat.first_name } }
        : fromChat.type === 'channel'
          ? { type: 'channel', date, chat: fromChat, message_id: sourceId }
          : { type: 'chat', date, sender_chat: fromChat };
    const original = state.chats.storedContent(fromChat.id, sourceId) ?? {};
    const { reply_markup: _markup, ...content } = original;
    return newMessage(state, request.params.chat_id, { forward_origin: forwardOrigin, ...content }, {});
  },

  editMessageText: (request, state) => {
    const target = messageRef(request, state);
    if (!target) return true;
    const content = { ...textFields(request.prepared.text), reply_markup: inlineKeyboard(request.params.reply_markup) };
    return edit(state, target, content);
  },

  editMessageReplyMarkup: (request, state) => {
    const target = messageRef(request, state);
    if (!target) return true;
    const { reply_markup: _old, ...rest } = state.chats.storedContent(target.chatId, target.messageId) ?? {};
    return edit(state, target, { ...rest, reply_markup: inlineKeyboard(request.params.reply_markup) });
  },

  deleteMessage: (request, state) => {
    state.chats.delete(state.chats.idOf(request.params.chat_id), request.params.message_id as number);
    return true;
  },
};

let mediaGroupCounter = 0;

/** sendPhoto/sendVideo/…: the file comes from the part named like the parameter, `attach://x`, or a file_id/URL. */
function sendMedia(request: HandlerRequest, state: EmulatorState, field: string, kind: MediaKind): unknown {
  const content = { ...mediaFields(kind, mediaSource(request, field), request.params), ...captionFields(request.prepared.caption) };
  const message = newMessage(state, request.params.chat_id, content, request.params);
  remember(state, message, { ...captionFields(request.prepared.caption), reply_markup: message.reply_markup });
  return message;
}

function mediaSource(request: HandlerRequest, field: string): MediaSource {
  const value = request.params[field];
  if (typeof value === 'string') return value.startsWith('attach://') ? request.files[value.slice(9)] : value;
  return request.files[field];
}

function remember(state: EmulatorState, message: Record<string, unknown>, content: Record<string, unknown>): void {
  const chat = message.chat as { id: number };
  state.chats.remember(chat.id, message.message_id as number, content);
}

interface MessageRef {
  chatId: number;
  messageId: number;
}

/**
 * The message an edit targets: chat_id + message_id, or undefined for inline messages
 * (inline_message_id), for which Telegram answers `true`.
 *
 * @throws BotApiError 400 when neither form is complete.
 */
function messageRef(request: HandlerRequest, state: EmulatorState): MessageRef | undefined {
  const { chat_id: chatId, message_id: messageId, inline_message_id: inlineId } = request.params;
  if (inlineId !== undefined && chatId === undefined) return undefined;
  if (chatId === undefined) throw badRequest('chat_id is empty');
  if (typeof messageId !== 'number') throw badRequest('message identifier is not specified');
  return { chatId: state.chats.idOf(chatId), messageId };
}

/** Applies an edit: Telegram's "not modified"/"not found" checks, then the edited Message. */
function edit(state: EmulatorState, target: MessageRef, content: Record<string, unknown>): Record<string, unknown> {
  const chatId = target.chatId;
  state.chats.checkEdit(chatId, target.messageId, content);
  state.chats.remember(chatId, target.messageId, content);
  const chat = state.chats.chat(chatId);
  const now = Math.floor(state.nowMs() / 1000);
  const message: Record<string, unknown> = { message_id: target.messageId };
  if (chat.type === 'channel') message.sender_chat = chat;
  else message.from = state.bot;
  Object.assign(message, { chat, date: now, edit_date: now });
  for (const [key, value] of Object.entries(content)) if (value !== undefined) message[key] = value;
  return message;
}
