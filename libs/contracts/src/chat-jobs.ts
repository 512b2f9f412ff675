import { z } from 'zod';
import { MessageFactSchema } from './telegram-facts';

/** BullMQ queues of the chat feature (gateway → llm-worker). */
export const ChatQueueName = {
  /** Answers to triggers and chat commands (LLM calls; modest concurrency). */
  Answers: 'chat-answers',
  /** Every group/private message, to keep the rolling context (fast; high concurrency). */
  Context: 'chat-context',
} as const;
export type ChatQueueName = (typeof ChatQueueName)[keyof typeof ChatQueueName];

/** Job names of the `chat-answers` queue. */
export const ChatJob = {
  /** Answer a trigger (name, mention, reply to the bot, private chat, or a question). */
  Answer: 'answer',
  /** A chat command (`/usage`, `/policy`, `/link`) for the worker to check and execute. */
  Command: 'command',
} as const;
export type ChatJob = (typeof ChatJob)[keyof typeof ChatJob];

/** Job names of the `chat-context` queue. */
export const ContextJob = {
  /** A new or edited message to put into the chat's rolling context. */
  Message: 'message',
} as const;

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
