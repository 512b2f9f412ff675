import { z } from 'zod';
import { AssistantAudioSchema } from './assistant-audio';
import { AssistantFileSchema } from './assistant-file';
import { MessageFactSchema } from './telegram-facts';

/** Commands the assistant handles in private chats. */
export const ASSISTANT_COMMANDS = ['new', 'sessions', 'clear', 'model', 'system', 'mode', 't', 'info', 'cancel'] as const;
export type AssistantCommand = (typeof ASSISTANT_COMMANDS)[number];

/** The sender's Telegram `language_code` (IETF tag, e.g. `en` or `ru-RU`), when the client sent one. */
const LanguageCodeSchema = z.string().max(35).optional();

/** A `message` job: the private message (as a MessageFact), its sender's language and the voice/audio/video note, photo or document it carries. */
export const AssistantMessageJobSchema = z.object({
  message: MessageFactSchema,
  languageCode: LanguageCodeSchema,
  /** Set for a voice note, audio file or video note: transcribed, then answered as the question. */
  audio: AssistantAudioSchema.optional(),
  /** Set for a photo or document: image parts, or the document's text with the caption. */
  file: AssistantFileSchema.optional(),
});
export type AssistantMessageJob = z.infer<typeof AssistantMessageJobSchema>;

/** A `command` job: the command, its arguments (text after it, up to 4,096 characters) and its message. */
export const AssistantCommandJobSchema = z.object({
  command: z.enum(ASSISTANT_COMMANDS),
  args: z.string().max(4096),
  message: MessageFactSchema,
  languageCode: LanguageCodeSchema,
});
export type AssistantCommandJob = z.infer<typeof AssistantCommandJobSchema>;

/**
 * A `callback` job: one press on an assistant button in a private chat. `data` is the raw callback
 * data (at most 64 bytes by the Bot API; the worker parses and checks it, a forged one is refused).
 */
export const AssistantCallbackJobSchema = z.object({
  callbackQueryId: z.string().min(1).max(128),
  data: z.string().max(256),
  userId: z.number().int().safe(),
  chatId: z.number().int().safe(),
  /** The message carrying the keyboard. */
  messageId: z.number().int().safe(),
  languageCode: LanguageCodeSchema,
});
export type AssistantCallbackJob = z.infer<typeof AssistantCallbackJobSchema>;

/** Prefix of every assistant callback data (`as:<action>:<argument>`). */
export const ASSISTANT_CALLBACK_PREFIX = 'as:';

/** Job id of the assistant's answer to private message `messageId` in `chatId` (one answer per message). */
export const assistantJobId = (chatId: number, messageId: number): string => `ast-${chatId}-${messageId}`;
