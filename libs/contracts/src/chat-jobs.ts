import { z } from 'zod';
import { MessageFactSchema } from './telegram-facts';

/** Why the gateway decided Kraken answers. */
export const TRIGGER_KINDS = ['name', 'mention', 'reply', 'private', 'question'] as const;
export const TriggerKindSchema = z.enum(TRIGGER_KINDS);
export type TriggerKind = z.infer<typeof TriggerKindSchema>;

/**
 * An `answer` job: the triggering message and, when it is a reply, the replied-to message (both as
 * MessageFacts; the replied-to one carries `updateId` 0).
 */
export const AnswerJobSchema = z.object({
  trigger: TriggerKindSchema,
  message: MessageFactSchema,
  replyTo: MessageFactSchema.optional(),
});
export type AnswerJob = z.infer<typeof AnswerJobSchema>;

/** Chat commands handled by the llm-worker (`/link <code>` attaches the sender to an API account). */
export const CHAT_COMMANDS = ['usage', 'policy', 'link'] as const;

/** A `command` job: the command, its arguments (text after the command) and the message carrying it. */
export const ChatCommandJobSchema = z.object({
  command: z.enum(CHAT_COMMANDS),
  args: z.string().max(256),
  message: MessageFactSchema,
});
export type ChatCommandJob = z.infer<typeof ChatCommandJobSchema>;

/**
 * Job id of the answer to message `messageId` in `chatId`: one answer per trigger, however often the
 * update is redelivered or the job retried. Outbox jobs of the answer derive their ids from it.
 */
export const answerJobId = (chatId: number, messageId: number): string => `ans-${chatId}-${messageId}`;

/** Job id of a chat command carried by message `messageId` in `chatId`. */
export const commandJobId = (chatId: number, messageId: number): string => `cmd-${chatId}-${messageId}`;
