/**
 * Export media → Bot API media fields of a Message.
 *
 * Export keys (Telegram Desktop `SerializeMessage`) → Message field:
 * - `photo` (+ width, height, photo_file_size) → `photo`: PhotoSize[] — a thumbnail for each of
 *   Telegram's standard boxes (90, 320, 800 px on the long side) smaller than the original, then the
 *   original; `file_size` of the original from the export, of the smaller ones estimated by area.
 * - `file` + `media_type`: sticker → `sticker` (`type: "regular"`, animated when the MIME type is
 *   application/x-tgsticker, video when video/webm, default 512×512); video_file → `video`;
 *   animation → `animation` and, as the Bot API requires for backward compatibility, `document`;
 *   voice_message → `voice`; video_message → `video_note` (`length` = width, default 240);
 *   audio_file → `audio`; `file` without (or with an unknown) media_type → `document`.
 *   Durations come from `duration_seconds` (0 when absent: the Bot API requires the field).
 *   Thumbnails are not emitted (the export gives no thumbnail size).
 * - `poll` → `poll` (`is_anonymous: true`, `type: "regular"`, single answer, revoting allowed, not
 *   members-only: the export does not say; option `persistent_id` = the option index).
 * - `contact_information` → `contact`; `location_information` → `location`, with `place_name` /
 *   `address` → `venue` as well (the Bot API sets both for venues).
 * File ids are synthetic and stable (see `telegram-ids.ts`).
 */
import type { PhotoSize } from 'telegraf/types';
import type { MessageContent } from './bot-api-shapes';
import type { ExportMessage } from './export-schema';
import { syntheticFileIds, syntheticPollId, type FileKind } from './telegram-ids';

/** Long-side sizes of the downscaled copies Telegram stores for photos (types s, m, x). */
const PHOTO_BOXES = [90, 320, 800];
/** Size used when the export lacks a photo's dimensions (it omits them when unknown). */
const DEFAULT_PHOTO_SIDE = 1280;

/** Whether the exported message carries media (and its text is therefore a caption). */
export function hasMedia(message: ExportMessage): boolean {
  return (
    message.photo !== undefined ||
    message.file !== undefined ||
    message.poll !== undefined ||
    message.contact_information !== undefined ||
    (message.location_information !== undefined && message.location_information !== null)
  );
}

/**
 * Media fields of an exported message (empty object for a text-only message).
 * @param chatId Bot API chat id, an input of the synthetic file ids.
 */
export function mediaFields(message: ExportMessage, chatId: number): MessageContent {
  if (message.photo !== undefined) {
    return { photo: photoSizes(chatId, message.id, message.width, message.height, message.photo_file_size) };
  }
  if (message.file !== undefined) return fileFields(message, chatId);
  if (message.poll !== undefined) {
    const poll = message.poll;
    return {
      poll: {
        id: syntheticPollId(chatId, message.id),
        question: poll.question,
        options: poll.answers.map((answer, index) => ({
          persistent_id: String(index),
          text: answer.text,
          voter_count: answer.voters ?? 0,
        })),
        total_voter_count: poll.total_voters ?? 0,
        is_closed: poll.closed ?? false,
        is_anonymous: true,
        type: 'regular',
        allows_multiple_answers: false,
        allows_revoting: true,
        members_only: false,
      },
    };
  }
  if (message.contact_information) {
    const contact = message.contact_information;
    return {
      contact: {
        phone_number: contact.phone_number ?? '',
        first_name: contact.first_name ?? '',
        ...(contact.last_name ? { last_name: contact.last_name } : {}),
      },
    };
  }
  if (message.location_information) {
    const location = { latitude: message.location_information.latitude, longitude: message.location_information.longitude };
    if (message.place_name !== undefined || message.address !== undefined) {
      return { location, venue: { location, title: message.place_name ?? '', address: message.address ?? '' } };
    }
    return { location };
  }
  return {};
}

/**
 * PhotoSize list for a photo of `width`×`height` px (see the module docstring).
 * @param variantBase offsets the id variants, so two photos of one message get distinct ids.
 */
export function photoSizes(
  chatId: number,
  messageId: number,
  width = DEFAULT_PHOTO_SIDE,
  height = DEFAULT_PHOTO_SIDE,
  fileSize?: number,
  variantBase = 0,
): PhotoSize[] {
  const longSide = Math.max(width, height);
  const sizes: PhotoSize[] = [];
  PHOTO_BOXES.filter((box) => box < longSide).forEach((box, index) => {
    const scale = box / longSide;
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    const size: PhotoSize = { ...syntheticFileIds('photo', chatId, messageId, variantBase + index), width: w, height: h };
    if (fileSize !== undefined) size.file_size = Math.max(1, Math.round(fileSize * scale * scale));
    sizes.push(size);
  });
  const original: PhotoSize = {
    ...syntheticFileIds('photo', chatId, messageId, variantBase + PHOTO_BOXES.length),
    width,
    height,
  };
  if (fileSize !== undefined) original.file_size = fileSize;
  sizes.push(original);
  return sizes;
}

function fileFields(message: ExportMessage, chatId: number): MessageContent {
  const ids = (kind: FileKind) => syntheticFileIds(kind, chatId, message.id);
  const optional = {
    ...(message.file_name !== undefined ? { file_name: message.file_name } : {}),
    ...(message.mime_type !== undefined ? { mime_type: message.mime_type } : {}),
    ...(message.file_size !== undefined ? { file_size: message.file_size } : {}),
  };
  const duration = message.duration_seconds ?? 0;
  const width = message.width ?? 0;
  const height = message.height ?? 0;
  switch (message.media_type) {
    case 'sticker':
      return {
        sticker: {
          ...ids('sticker'),
          type: 'regular',
          width: message.width ?? 512,
          height: message.height ?? 512,
          is_animated: message.mime_type === 'application/x-tgsticker',
          is_video: message.mime_type === 'video/webm',
          ...(message.sticker_emoji ? { emoji: message.sticker_emoji } : {}),
          ...(message.file_size !== undefined ? { file_size: message.file_size } : {}),
        },
      };
    case 'video_file':
      return { video: { ...ids('video'), width, height, duration, ...optional } };
    case 'animation':
      return {
        animation: { ...ids('animation'), width, height, duration, ...optional },
        document: { ...ids('animation'), ...optional },
      };
    case 'voice_message':
      return {
        voice: {
          ...ids('voice'),
          duration,
          ...(message.mime_type !== undefined ? { mime_type: message.mime_type } : {}),
          ...(message.file_size !== undefined ? { file_size: message.file_size } : {}),
        },
      };
    case 'video_message':
      return {
        video_note: {
          ...ids('video_note'),
          length: message.width ?? 240,
          duration,
          ...(message.file_size !== undefined ? { file_size: message.file_size } : {}),
        },
      };
    case 'audio_file':
      return {
        audio: {
          ...ids('audio'),
          duration,
          ...(message.performer !== undefined ? { performer: message.performer } : {}),
          ...(message.title !== undefined ? { title: message.title } : {}),
          ...optional,
        },
      };
    default:
      return { document: { ...ids('document'), ...optional } };
  }
}
