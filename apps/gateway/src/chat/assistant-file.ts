import { AssistantFileSchema, type AssistantFile } from '@kraken/contracts';
import type { Message } from 'telegraf/types';

interface RawFile {
  file_id?: unknown;
  file_unique_id?: unknown;
  file_size?: unknown;
  mime_type?: unknown;
  file_name?: unknown;
}

/**
 * The photo (its largest PhotoSize, the last of `photo`) or document a private message carries, for
 * the assistant's `message` job; undefined for anything else or when Telegram's fields do not have
 * the documented shape (https://core.telegram.org/bots/api#photosize, #document). Over-long names and
 * MIME types are cut to the schema's limits rather than refused; they stay data.
 */
export function assistantFileOf(message: Message): AssistantFile | undefined {
  const m = message as { photo?: RawFile[]; document?: RawFile };
  const photo = Array.isArray(m.photo) ? m.photo[m.photo.length - 1] : undefined;
  const raw = photo ?? m.document;
  if (!raw || typeof raw !== 'object') return undefined;
  const parsed = AssistantFileSchema.safeParse({
    kind: photo ? 'photo' : 'document',
    fileId: raw.file_id,
    fileUniqueId: raw.file_unique_id,
    fileSize: typeof raw.file_size === 'number' ? raw.file_size : undefined,
    mimeType: typeof raw.mime_type === 'string' ? raw.mime_type.slice(0, 128) : undefined,
    fileName: typeof raw.file_name === 'string' ? raw.file_name.slice(0, 256) : undefined,
  });
  return parsed.success ? parsed.data : undefined;
}
