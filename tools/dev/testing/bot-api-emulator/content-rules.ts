import { badRequest } from './bot-api-error';
import type { UploadedFile } from './emulator-types';
import { prepareCaption, prepareDraftText, prepareMessageText } from './formatted-text';
import type { FormattedText } from './message-entity';

/** One album item after checks: its type, media reference, resolved upload and parsed caption. */
export interface PreparedMedia {
  type: string;
  /** file_id, URL or `attach://name` as sent. */
  media: string;
  /** The part an `attach://name` points to; null for file_id/URL. */
  upload: UploadedFile | null;
  caption?: FormattedText;
}

/** Parsed content reused by the method handlers to build result Messages. */
export interface PreparedContent {
  text?: FormattedText;
  caption?: FormattedText;
  media?: PreparedMedia[];
}

/** Actions listed at https://core.telegram.org/bots/api#sendchataction. */
const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

/**
 * Content rules Telegram enforces beyond parameter types, for any method (so sendAudio captions
 * are checked too even though the emulator only answers `true` for it):
 * - sendMessage/editMessageText: text non-empty and ≤ 4096 after parse_mode (see formatted-text);
 *   sendMessageDraft: ≤ 4096, empty allowed (the "Thinking..." placeholder);
 * - any `caption`: ≤ 1024 after parse_mode;
 * - a `media` array (sendMediaGroup): 2–10 items, each InputMedia with a resolvable `media`
 *   (`attach://name` must name an uploaded part, else Telegram's
 *   `Bad Request: can't parse InputMedia: media not found`), audio and documents not mixed with
 *   other types ("Documents and audio files can be only grouped in an album with messages of the
 *   same type", https://core.telegram.org/bots/api#sendmediagroup);
 * - sendChatAction: a documented action (`Bad Request: wrong parameter action in request`);
 * - setMyCommands: ≤ 100 commands, command 1–32 chars of `[a-z0-9_]`, description 1–256
 *   (https://core.telegram.org/bots/api#botcommand).
 *
 * @param params coerced parameters; @param files the request's file parts.
 * @throws BotApiError 400 for the first violated rule.
 */
export function applyContentRules(
  method: string,
  params: Record<string, unknown>,
  files: Record<string, UploadedFile>,
): PreparedContent {
  const prepared: PreparedContent = {};
  if (method === 'sendMessage' || (method === 'editMessageText' && params.rich_message === undefined)) {
    prepared.text = prepareMessageText(params.text, params.parse_mode, params.entities);
  }
  if (method === 'sendMessageDraft') prepared.text = prepareDraftText(params.text, params.parse_mode, params.entities);
  if (params.caption !== undefined) {
    prepared.caption = prepareCaption(params.caption, params.parse_mode, params.caption_entities);
  }
  if (method === 'sendMediaGroup' && Array.isArray(params.media)) prepared.media = prepareAlbum(params.media, files);
  else if (Array.isArray(params.media)) prepared.media = params.media.map((item) => prepareMedia(item, files));
  else if (params.media && typeof params.media === 'object') prepared.media = [prepareMedia(params.media, files)];
  if (method === 'sendChatAction' && !CHAT_ACTIONS.has(String(params.action))) {
    throw badRequest('wrong parameter action in request');
  }
  if (method === 'setMyCommands') checkCommands(params.commands);
  return prepared;
}

function prepareAlbum(items: unknown[], files: Record<string, UploadedFile>): PreparedMedia[] {
  if (items.length < 2 || items.length > 10) {
    throw badRequest(`media must include 2-10 items, got ${items.length}`);
  }
  const media = items.map((item) => prepareMedia(item, files));
  for (const exclusive of ['audio', 'document']) {
    if (media.some((item) => item.type === exclusive) && media.some((item) => item.type !== exclusive)) {
      throw badRequest(`${exclusive} can't be mixed with other media types in an album`);
    }
  }
  return media;
}

function prepareMedia(item: unknown, files: Record<string, UploadedFile>): PreparedMedia {
  const input = item as Record<string, unknown>;
  const media = typeof input.media === 'string' ? input.media : '';
  let upload: UploadedFile | null = null;
  if (media.startsWith('attach://')) {
    upload = files[media.slice('attach://'.length)] ?? null;
    if (!upload) throw badRequest("can't parse InputMedia: media not found");
  } else if (media === '') {
    throw badRequest("can't parse InputMedia: media not found");
  }
  const caption = prepareCaption(input.caption, input.parse_mode, input.caption_entities);
  return { type: String(input.type), media, upload, ...(caption ? { caption } : {}) };
}

function checkCommands(commands: unknown): void {
  const list = Array.isArray(commands) ? (commands as Array<Record<string, unknown>>) : [];
  if (list.length > 100) throw badRequest('too many commands specified');
  for (const command of list) {
    if (typeof command.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(command.command)) {
      throw badRequest('BOT_COMMAND_INVALID');
    }
    if (typeof command.description !== 'string' || command.description.length < 1 || command.description.length > 256) {
      throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
    }
  }
}
