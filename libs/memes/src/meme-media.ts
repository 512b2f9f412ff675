import type { MemeMedia } from '@kraken/contracts';
import type { Message } from 'telegraf/types';

/** A file's ids, checked before use although the gateway's door checks them too (cheap, and this reads replies as well). */
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
export function memeMediaOf(message: Message): MemeMedia | null {
  const animation = ids('animation' in message ? message.animation : undefined);
  if (animation) return { kind: 'animation', ...animation };
  const video = ids('video' in message ? message.video : undefined);
  if (video) return { kind: 'video', ...video };
  const photo = 'photo' in message && Array.isArray(message.photo) ? ids(message.photo.at(-1)) : null;
  return photo ? { kind: 'photo', ...photo } : null;
}
