import { z } from 'zod';

/** Message fields the assistant transcribes (https://core.telegram.org/bots/api#voice, #audio, #videonote). */
export const ASSISTANT_AUDIO_KINDS = ['voice', 'audio', 'video_note'] as const;

/**
 * A voice note, audio file or video note a user sent the assistant, as the gateway read it from the
 * message. Every value came from the update and is data: lengths and ranges are bounded here, the
 * worker checks `fileSize` against the Bot API's 20 MB download limit before getFile.
 */
export const AssistantAudioSchema = z.object({
  kind: z.enum(ASSISTANT_AUDIO_KINDS),
  fileId: z.string().min(1).max(512),
  fileUniqueId: z.string().min(1).max(128),
  /** Seconds, as the sender's client reported it. */
  duration: z.number().int().nonnegative().max(86_400 * 7),
  /** MIME type as sent (video notes have none: they are MPEG-4 video). */
  mimeType: z.string().max(128).optional(),
  /** Bytes, when Telegram reported it. */
  fileSize: z.number().int().nonnegative().safe().optional(),
});
export type AssistantAudio = z.infer<typeof AssistantAudioSchema>;
