import { badRequest } from './bot-api-error';
import type { EmulatorState, HandlerRequest, MethodHandler } from './emulator-state';
import { type FileIds, type MediaSource, fileIds } from './media-files';
import { type MediaKind, captionFields, inlineKeyboard, mediaFields, newMessage, textFields } from './message-factory';

/**
 * Handlers of the message methods Kraken uses (https://core.telegram.org/bots/api#available-methods):
 * they return Message objects built by message-factory and keep what edits need to know.
 */
export const MESSAGE_HANDLERS: Record<string, MethodHandler> = {
  sendMessage: (request, state) => {
    const message = newMessage(state, request.params.chat_id, textFields(request.prepared.text), request.params);
    state.drafts.delete((message.chat as { id: number }).id); // the final message replaces the streamed preview
    remember(state, message, { ...textFields(request.prepared.text), reply_markup: message.reply_markup });
    return message;
  },
  sendPhoto: (request, state) => sendMedia(request, state, 'photo', 'photo'),
  sendVideo: (request, state) => sendMedia(request, state, 'video', 'video'),
  sendAnimation: (request, state) => sendMedia(request, state, 'animation', 'animation'),
  sendDocument: (request, state) => sendMedia(request, state, 'document', 'document'),
  sendAudio: (request, state) => sendMedia(request, state, 'audio', 'audio'),

  /**
   * Streams a preview into a private chat (Bot API 9.3+): answers `true` and keeps the draft for
   * BotApiEmulator.draft. Refuses other chat types and `draft_id` 0 (the emulator's wording;
   * Telegram documents the rules, not the texts).
   */
  sendMessageDraft: (request, state) => {
    const chat = state.chats.chat(request.params.chat_id);
    if (chat.type !== 'private') throw badRequest('message drafts can be sent only to private chats');
    const draftId = request.params.draft_id as number;
    if (draftId === 0) throw badRequest('draft_id must be non-zero');
    const previous = state.drafts.get(chat.id);
    const formatted = request.prepared.text ?? { text: '', entities: [] };
    state.drafts.set(chat.id, {
      draft_id: draftId,
      ...(typeof request.params.message_thread_id === 'number' ? { message_thread_id: request.params.message_thread_id } : {}),
      text: formatted.text,
      entities: formatted.entities as unknown as Array<Record<string, unknown>>,
      at: state.nowMs(),
      updates: previous?.draft_id === draftId ? previous.updates + 1 : 1,
    });
    return true;
  },

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

/**
 * sendPhoto/sendVideo/…: the file comes from the part named like the parameter, `attach://x`, or a
 * file_id/URL. Uploaded bytes are stored, so getFile and the download route serve what the bot sent.
 */
function sendMedia(request: HandlerRequest, state: EmulatorState, field: string, kind: MediaKind): unknown {
  const source = mediaSource(request, field);
  const content = { ...mediaFields(kind, source, request.params), ...captionFields(request.prepared.caption) };
  if (typeof source !== 'string' && source) {
    const files = kind === 'photo' || kind === 'live_photo' ? (content.photo as FileIds[]) : [fileIds(source)];
    for (const ids of files) state.files.put(ids, source.data, kind === 'live_photo' ? 'photo' : kind, source.filename);
  }
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
