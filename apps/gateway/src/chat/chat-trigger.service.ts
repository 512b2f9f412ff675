import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '@kraken/config';
import { botNamePattern, chatKeys, ChatPolicyStore, explicitTrigger, isQuestion, parseCommand, textOf, type BotIdentity } from '@kraken/chat';
import {
  answerJobId,
  CHAT_COMMANDS,
  ChatJob,
  ChatQueueName,
  commandJobId,
  ContextJob,
  MessageFactSchema,
  updateJobId,
  type AnswerJob,
  type ChatCommandJob,
  type MessageFact,
  type TriggerKind,
} from '@kraken/contracts';
import { toMessageFact, type AnyMessage } from '@kraken/telegram';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { ANSWER_JOB_OPTIONS, CONTEXT_JOB_OPTIONS } from './chat-queues';
import { CHAT_REDIS } from './chat-redis.provider';

/** What the gateway did with a message (for logs and tests). */
export type ChatDecision =
  | { action: 'answer'; trigger: TriggerKind; jobId: string; delayMs: number }
  | { action: 'command'; jobId: string }
  | { action: 'none'; reason: string };

/**
 * Decides whether Kraken answers a message, and feeds every message to the rolling context. All
 * decisions are made here; the llm-worker only executes the jobs.
 *
 * - Every non-service message → `chat-context` job (id `tg-<update_id>`).
 * - `/usage`, `/policy` (optionally `@bot`) → `command` job (id `cmd-<chat>-<message>`).
 * - Explicit triggers (private chat, reply to the bot, @mention, a bot name at the start) → `answer`
 *   job (id `ans-<chat>-<message>`), subject to the per-user limit (CHAT_USER_LIMIT per
 *   CHAT_USER_WINDOW_SECONDS per chat).
 * - A question (ends in `?`, ≥ CHAT_MIN_QUESTION_LENGTH characters, not a reply to someone else)
 *   under the chat's policy: `off` nothing; `all` an answer at once; `quiet` an answer delayed by
 *   CHAT_QUIET_SECONDS, removed when another human replies to the question first. Questions also
 *   take the chat's cooldown (one answered question per CHAT_QUESTION_COOLDOWN_SECONDS) and the user limit.
 * - Messages from bots are never answered.
 */
@Injectable()
export class ChatTriggerService {
  private readonly logger = new Logger(ChatTriggerService.name);
  private readonly names: RegExp;
  private readonly policies: ChatPolicyStore;
  private readonly cooldown?: RateLimiterRedis;
  private readonly perUser: RateLimiterRedis;
  private readonly quietMs: number;
  private readonly minQuestionLength: number;

  constructor(
    @InjectQueue(ChatQueueName.Answers) private readonly answers: Queue,
    @InjectQueue(ChatQueueName.Context) private readonly context: Queue,
    @Inject(CHAT_REDIS) redis: Redis,
    config: ConfigService<GatewayEnv, true>,
  ) {
    const prefix = config.get('QUEUE_PREFIX', { infer: true });
    this.names = botNamePattern(config.get('BOT_NAMES', { infer: true }));
    this.policies = new ChatPolicyStore(redis, prefix, config.get('CHAT_QUESTION_POLICY', { infer: true }));
    const cooldownSeconds = config.get('CHAT_QUESTION_COOLDOWN_SECONDS', { infer: true });
    if (cooldownSeconds > 0) {
      this.cooldown = new RateLimiterRedis({ storeClient: redis, keyPrefix: chatKeys.rateLimiter(prefix, 'question-cooldown'), points: 1, duration: cooldownSeconds });
    }
    this.perUser = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: chatKeys.rateLimiter(prefix, 'user'),
      points: config.get('CHAT_USER_LIMIT', { infer: true }),
      duration: config.get('CHAT_USER_WINDOW_SECONDS', { infer: true }),
    });
    this.quietMs = config.get('CHAT_QUIET_SECONDS', { infer: true }) * 1000;
    this.minQuestionLength = config.get('CHAT_MIN_QUESTION_LENGTH', { infer: true });
  }

  /**
   * Handles a new message (`message` update).
   * @throws the Redis/queue error (the webhook then answers 5xx and Telegram redelivers; job ids dedupe)
   */
  async onMessage(updateId: number, message: AnyMessage, bot: BotIdentity): Promise<ChatDecision> {
    const fact = MessageFactSchema.parse(toMessageFact(updateId, message));
    if (!fact.kind) return { action: 'none', reason: 'service message' };
    await this.context.add(ContextJob.Message, fact, { ...CONTEXT_JOB_OPTIONS, jobId: updateJobId(updateId) });
    if (!fact.sender || fact.sender.isBot) return { action: 'none', reason: 'sent by a bot' };
    if (fact.replyToMessageId) await this.cancelQuietAnswer(fact, fact.replyToMessageId);

    const text = textOf(message);
    const command = parseCommand(text, bot.username);
    if (command && (CHAT_COMMANDS as readonly string[]).includes(command.command)) {
      const jobId = commandJobId(fact.chat.id, fact.messageId);
      const data: ChatCommandJob = { command: command.command as ChatCommandJob['command'], args: command.args.slice(0, 256), message: fact };
      await this.answers.add(ChatJob.Command, data, { ...ANSWER_JOB_OPTIONS, jobId });
      return { action: 'command', jobId };
    }
    if (command && fact.chat.type !== 'private') return { action: 'none', reason: 'command for someone else' };

    const replyTo = message.reply_to_message as AnyMessage | undefined;
    const trigger = explicitTrigger(message, bot, this.names);
    if (trigger) {
      if (!(await this.take(this.perUser, `${fact.chat.id}:${fact.sender.id}`))) return { action: 'none', reason: 'user limit' };
      return this.enqueueAnswer(trigger, fact, replyTo, 0);
    }
    if (!isQuestion(text, this.minQuestionLength)) return { action: 'none', reason: 'no trigger' };
    if (fact.replyToMessageId) return { action: 'none', reason: 'question replies to someone else' };
    const policy = await this.policies.get(fact.chat.id);
    if (policy === 'off') return { action: 'none', reason: 'question policy off' };
    if (this.cooldown && !(await this.take(this.cooldown, String(fact.chat.id)))) return { action: 'none', reason: 'chat cooldown' };
    if (!(await this.take(this.perUser, `${fact.chat.id}:${fact.sender.id}`))) return { action: 'none', reason: 'user limit' };
    return this.enqueueAnswer('question', fact, undefined, policy === 'quiet' ? this.quietMs : 0);
  }

  /** Handles an edited message: its new text replaces the old one in the context. */
  async onEditedMessage(updateId: number, message: AnyMessage): Promise<void> {
    const fact = MessageFactSchema.parse(toMessageFact(updateId, message));
    if (fact.kind) await this.context.add(ContextJob.Message, fact, { ...CONTEXT_JOB_OPTIONS, jobId: updateJobId(updateId) });
  }

  private async enqueueAnswer(trigger: TriggerKind, fact: MessageFact, replyTo: AnyMessage | undefined, delayMs: number): Promise<ChatDecision> {
    const jobId = answerJobId(fact.chat.id, fact.messageId);
    const data: AnswerJob = { trigger, message: fact };
    if (replyTo) {
      const parsed = MessageFactSchema.safeParse(toMessageFact(0, replyTo));
      if (parsed.success && parsed.data.kind) data.replyTo = parsed.data;
    }
    await this.answers.add(ChatJob.Answer, data, { ...ANSWER_JOB_OPTIONS, jobId, ...(delayMs > 0 ? { delay: delayMs } : {}) });
    this.logger.debug({ jobId, trigger, delayMs }, 'answer enqueued');
    return { action: 'answer', trigger, jobId, delayMs };
  }

  /** A human's reply to a question still waiting under the `quiet` policy removes its delayed answer. */
  private async cancelQuietAnswer(reply: MessageFact, questionId: number): Promise<void> {
    const job = await this.answers.getJob(answerJobId(reply.chat.id, questionId));
    if (!job || job.data?.trigger !== 'question') return;
    if ((job.data as AnswerJob).message.sender?.id === reply.sender?.id) return;
    if (await job.isDelayed()) {
      await job.remove();
      this.logger.debug({ jobId: job.id }, 'quiet answer cancelled: a human replied first');
    }
  }

  /** Consumes one point; false when the limiter is exhausted. @throws the Redis error. */
  private async take(limiter: RateLimiterRedis, key: string): Promise<boolean> {
    try {
      await limiter.consume(key, 1);
      return true;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return false;
      throw rejection;
    }
  }
}
