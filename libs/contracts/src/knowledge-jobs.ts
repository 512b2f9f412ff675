import { z } from 'zod';
import { MessageFactSchema } from './telegram-facts';

/** A file a message carries (https://core.telegram.org/bots/api#document). */
export const DocumentRefSchema = z.object({
  fileId: z.string().max(256),
  fileName: z.string().max(256).optional(),
  mimeType: z.string().max(128).optional(),
  /** Bytes, as Telegram reports it. */
  fileSize: z.number().int().nonnegative().optional(),
});
export type DocumentRef = z.infer<typeof DocumentRefSchema>;

/**
 * A `recap` job: the message asking (its chat, sender, date and forum topic decide the window),
 * `args` after `/recap` ('' for the default window and for spoken requests), and the message it
 * replies to, if any ("from this message on").
 */
export const RecapJobSchema = z.object({
  message: MessageFactSchema,
  args: z.string().max(64),
  /** Forum topic of the request (`message_thread_id` of a topic message); absent outside topics. */
  topicId: z.number().int().positive().optional(),
  fromMessageId: z.number().int().positive().optional(),
});
export type RecapJob = z.infer<typeof RecapJobSchema>;

/** A `kb-command` job: `/kb <args>` and, for `/kb add`, the replied-to message's text or file. */
export const KbCommandJobSchema = z.object({
  message: MessageFactSchema,
  args: z.string().max(1024),
  reply: z
    .object({
      messageId: z.number().int().positive(),
      text: z.string().max(4096).optional(),
      document: DocumentRefSchema.optional(),
    })
    .optional(),
});
export type KbCommandJob = z.infer<typeof KbCommandJobSchema>;

/** A `kb-probe` job: the question and the id of its delayed answer job. */
export const KbProbeJobSchema = z.object({
  message: MessageFactSchema,
  answerJobId: z.string().max(128),
});
export type KbProbeJob = z.infer<typeof KbProbeJobSchema>;

/** Job id of the recap asked for by message `messageId` in `chatId`. */
export const recapJobId = (chatId: number, messageId: number): string => `rcp-${chatId}-${messageId}`;
/** Job id of the `/kb` command carried by message `messageId` in `chatId`. */
export const kbCommandJobId = (chatId: number, messageId: number): string => `kb-${chatId}-${messageId}`;
/** Job id of the knowledge-base probe of question `messageId` in `chatId`. */
export const kbProbeJobId = (chatId: number, messageId: number): string => `kbp-${chatId}-${messageId}`;

/**
 * Redis keys of the knowledge base shared by the gateway and the llm-worker:
 * `<prefix>:kb:chats` is the set of chat ids with documents (`all` when documents for every chat
 * exist); the llm-worker rewrites it at start-up and after each `/kb add|remove`, the gateway reads it
 * to decide knowledge-base probes without touching PostgreSQL.
 */
export const kbKeys = {
  chats: (prefix: string) => `${prefix}:kb:chats`,
};
