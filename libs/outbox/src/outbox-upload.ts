import { Input } from 'telegraf';

/**
 * A file to upload, as it travels in BullMQ job data (JSON): the bytes base64-encoded plus the file
 * name Telegram shows. Use it wherever the Bot API takes an InputFile
 * (https://core.telegram.org/bots/api#inputfile): a top-level parameter such as `photo`, `document`
 * or `thumbnail`, or the `media`/`thumbnail` field of an InputMedia object (the `media` array of
 * sendMediaGroup, the `media` object of editMessageMedia). Telegram accepts at most 10 MB for photos
 * and 50 MB for other files sent this way (https://core.telegram.org/bots/api#sending-files); keep
 * uploads small, since the job (and its base64, 4/3 of the bytes) sits in Redis until it is sent.
 */
export interface OutboxUpload {
  base64: string;
  filename: string;
}

/** Builds an OutboxUpload from raw bytes. */
export function outboxUpload(bytes: Uint8Array, filename: string): OutboxUpload {
  return { base64: Buffer.from(bytes).toString('base64'), filename };
}

/** True when `value` is an `{ base64: string, filename: string }` object. */
export function isOutboxUpload(value: unknown): value is OutboxUpload {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.base64 === 'string' && typeof candidate.filename === 'string';
}

const toInputFile = (upload: OutboxUpload) => Input.fromBuffer(Buffer.from(upload.base64, 'base64'), upload.filename);

/** Replaces the `media` and `thumbnail` uploads of one InputMedia object. */
function convertInputMedia(item: unknown): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
  const media = item as Record<string, unknown>;
  return {
    ...media,
    ...(isOutboxUpload(media.media) ? { media: toInputFile(media.media) } : {}),
    ...(isOutboxUpload(media.thumbnail) ? { thumbnail: toInputFile(media.thumbnail) } : {}),
  };
}

/**
 * Turns job params into the payload for Telegraf's `callApi`: every top-level OutboxUpload becomes a
 * Telegraf InputFile (`Input.fromBuffer`), as do the uploads inside a `media` array or object.
 * Telegraf then sends the call as multipart/form-data. Other values pass through unchanged; the
 * input is not modified.
 */
export function toTelegrafPayload(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => {
      if (isOutboxUpload(value)) return [key, toInputFile(value)];
      if (key === 'media' && Array.isArray(value)) return [key, value.map(convertInputMedia)];
      if (key === 'media') return [key, convertInputMedia(value)];
      return [key, value];
    }),
  );
}
