import { z } from 'zod';

/**
 * A file sent to the private assistant: a photo (its largest PhotoSize) or a document
 * (https://core.telegram.org/bots/api#document). Every field is as Telegram sent it and is data: the
 * name and MIME type are only shape-checked here (the worker decides what it reads), and the name is
 * never logged above debug.
 */
export const AssistantFileSchema = z.object({
  kind: z.enum(['photo', 'document']),
  fileId: z.string().min(1).max(256),
  fileUniqueId: z.string().min(1).max(128),
  /** Bytes, as Telegram reports it (checked against the Bot API's 20 MB getFile limit before downloading). */
  fileSize: z.number().int().nonnegative().optional(),
  mimeType: z.string().max(128).optional(),
  fileName: z.string().max(256).optional(),
});
export type AssistantFile = z.infer<typeof AssistantFileSchema>;
