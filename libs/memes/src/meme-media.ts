import type { MemeMedia } from '@kraken/contracts';
import type { AnyMessage } from '@kraken/telegram';

interface FileRef {
  file_id?: unknown;
  file_unique_id?: unknown;
}

const ids = (file: FileRef | undefined): { fileId: string; fileUniqueId: string } | null =>
  file && typeof file.file_id === 'string' && typeof file.file_unique_id === 'string'
    ? { fileId: file.file_id, fileUniqueId: file.file_unique_id }
    : null;

/**
 * The meme file of a message: its `animation` (Telegram sends GIFs and silent MP4s as animations,
 * with a `document` alongside), else its `video`, else the largest size of its `photo` (PhotoSize
 * arrays are sorted by size, the original last: https://core.telegram.org/bots/api#message). Null
 * for any other message.
 */
export function memeMediaOf(message: AnyMessage): MemeMedia | null {
  const animation = ids(message.animation as FileRef | undefined);
  if (animation) return { kind: 'animation', ...animation };
  const video = ids(message.video as FileRef | undefined);
  if (video) return { kind: 'video', ...video };
  const photo = Array.isArray(message.photo) ? ids(message.photo.at(-1) as FileRef | undefined) : null;
  return photo ? { kind: 'photo', ...photo } : null;
}
