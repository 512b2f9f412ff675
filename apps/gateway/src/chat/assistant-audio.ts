import { ASSISTANT_AUDIO_KINDS, AssistantAudioSchema, type AssistantAudio } from '@kraken/contracts';
import type { Message } from 'telegraf/types';

/** A whole non-negative number, else undefined (the update's values are data, not trusted shapes). */
const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined);

/**
 * The voice note, audio file or video note of a private message, for the assistant's `message` job
 * (https://core.telegram.org/bots/api#voice, #audio, #videonote): file ids, duration (s), MIME type and
 * size (bytes). A field of the wrong type is left out; an object that still fails AssistantAudioSchema
 * (e.g. a 1,000-character file id) gives undefined, and the message is treated as one without audio.
 */
export function assistantAudioOf(message: Message): AssistantAudio | undefined {
  for (const kind of ASSISTANT_AUDIO_KINDS) {
    const file = (message as unknown as Record<string, Record<string, unknown> | undefined>)[kind];
    if (!file || typeof file !== 'object') continue;
    const mimeType = typeof file.mime_type === 'string' ? file.mime_type : undefined;
    const fileSize = count(file.file_size);
    const candidate = {
      kind,
      fileId: file.file_id,
      fileUniqueId: file.file_unique_id,
      duration: count(file.duration) ?? 0,
      ...(mimeType !== undefined ? { mimeType } : {}),
      ...(fileSize !== undefined ? { fileSize } : {}),
    };
    const parsed = AssistantAudioSchema.safeParse(candidate);
    return parsed.success ? parsed.data : undefined;
  }
  return undefined;
}
