import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ChatTriggerEnv, GatewayEnv } from '@kraken/config';
import {
  botNamePattern,
  chatKeys,
  ChatPolicyStore,
  CHAT_TEXTS,
  claimNotice,
  escapeHtml,
  explicitTrigger,
  isQuestion,
  languageOf,
  type BotIdentity,
  type BotLanguage,
  type LimiterKind,
  type ParsedCommand,
} from '@kraken/chat';
import {
  type AnswerJob,
  answerJobId,
  ASSISTANT_COMMANDS,
  AssistantJob,
  assistantJobId,
  CHAT_COMMANDS,
  type AssistantCommand,
  type AssistantCommandJob,
  type AssistantMessageJob,
  type ChatCommandJob,
  ChatJob,
  commandJobId,
  ContextJob,
  type MessageFact,
  MessageFactSchema,
  QueueName,
  type TriggerKind,
  updateJobId,
} from '@kraken/contracts';
import { OutboxService } from '@kraken/outbox';
import { messageText, repliedMessageOf, toMessageFact } from '@kraken/telegram';
import type { Queue } from 'bullmq';
import type { Message } from 'telegraf/types';
import type { RedisClient } from '@kraken/redis';
import { assistantAudioOf } from './assistant-audio';
import { assistantFileOf } from './assistant-file';
import { ChatAccess } from './chat-access';
import { ANSWER_JOB_OPTIONS, CONTEXT_JOB_OPTIONS } from './chat-queues';
import type { UpdateJobs } from '../updates/update-jobs';
import { GATEWAY_REDIS } from '../gateway-redis.provider';
import { QuietQuestions } from './quiet-questions';
import { TriggerLimits } from './trigger-limits';

/** What the gateway did with a message (for logs and tests). */
export type ChatDecision =
  | { action: 'answer'; trigger: TriggerKind; jobId: string; delayMs: number }
  | { action: 'command'; jobId: string }
  | { action: 'none'; reason: string };

/** The settings TriggerLimits and ChatAccess read. */
const LIMIT_SETTINGS = [
  'CHAT_USER_LIMIT',
  'CHAT_USER_WINDOW_SECONDS',
  'CHAT_PRIVATE_USER_LIMIT',
  'CHAT_PRIVATE_USER_WINDOW_SECONDS',
  'CHAT_QUESTION_COOLDOWN_SECONDS',
  'CHAT_ANSWERS_PER_HOUR',
  'ALLOWED_CHAT_IDS',
  'ALLOWED_PRIVATE_CHATS',
  'ALLOWED_MEMBER_SEEN_DAYS',
] as const;
type LimitSettings = Pick<ChatTriggerEnv, (typeof LIMIT_SETTINGS)[number]>;

/** Minutes until a limit's window ends, at least 1 (for notices). */
const minutesLeft = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

/**
 * Decides whether Kraken answers a message, and feeds every message to the rolling context. All
 * decisions are made here; the llm-worker only executes the jobs.
 *
 * - A private chat's messages go to the private assistant instead (onPrivateMessage, `assistant` queue).
 * - Every non-service group message → `chat-context` job (id `tg-<update_id>`).
 * - `/usage`, `/policy` (optionally `@bot`) → `command` job (id `cmd-<chat>-<message>`).
 * - Explicit triggers (reply to the bot, @mention, a bot name at the start) → `answer`
 *   job (id `ans-<chat>-<message>`), subject to the allow-list (ChatAccess), the per-user limit
 *   (CHAT_USER_LIMIT per CHAT_USER_WINDOW_SECONDS per group; CHAT_PRIVATE_USER_LIMIT per
 *   CHAT_PRIVATE_USER_WINDOW_SECONDS in private) and the chat's CHAT_ANSWERS_PER_HOUR. The first
 *   refusal of a window is told (the per-user limit in the user's language, from `language_code`);
 *   later ones are silent.
 * - A question (ends in `?`, ≥ CHAT_MIN_QUESTION_LENGTH characters, not a reply to someone else)
 *   under the chat's policy: `off` nothing; `all` an answer at once; `quiet` an answer delayed by
 *   CHAT_QUIET_SECONDS, removed when a human answers first: another person's reply to the question,
 *   or the next message in the same thread from someone other than the asker that is not itself a
 *   question or a command (QuietQuestions). Questions also take the chat's cooldown (one answered
 *   question per CHAT_QUESTION_COOLDOWN_SECONDS), the user limit and the hourly cap, silently; a
 *   cancelled answer gives those points back.
 * - Messages from bots are never answered.
 * Every ignored trigger is logged at info level with its reason (never the text). A point taken by
 * one limit is given back when a later limit refuses the same trigger.
 */
@Injectable()
export class ChatTriggerService {
  private readonly logger = new Logger(ChatTriggerService.name);
  private readonly names: RegExp;
  private readonly policies: ChatPolicyStore;
  private readonly limits: TriggerLimits;
  private readonly access: ChatAccess;
  private readonly quiet: QuietQuestions;
  private readonly prefix: string;
  private readonly language: BotLanguage;
  private readonly refusalWindowSeconds: number;
  private readonly quietMs: number;
  private readonly minQuestionLength: number;

  constructor(
    @InjectQueue(QueueName.ChatAnswers) private readonly answers: Queue,
    @Inject(GATEWAY_REDIS) private readonly redis: RedisClient,
    private readonly outbox: OutboxService,
    config: ConfigService<GatewayEnv, true>,
  ) {
    const setting = <K extends keyof ChatTriggerEnv>(key: K): ChatTriggerEnv[K] => config.get(key as keyof GatewayEnv, { infer: true }) as ChatTriggerEnv[K];
    const env = Object.fromEntries(LIMIT_SETTINGS.map((key) => [key, setting(key)])) as LimitSettings;
    this.prefix = config.get('QUEUE_PREFIX', { infer: true });
    this.names = botNamePattern(config.get('BOT_NAMES', { infer: true }));
    this.policies = new ChatPolicyStore(redis, this.prefix, config.get('CHAT_QUESTION_POLICY', { infer: true }));
    this.limits = new TriggerLimits(redis, this.prefix, env);
    this.access = new ChatAccess(redis, this.prefix, env);
    this.quiet = new QuietQuestions(redis, this.prefix);
    this.language = config.get('BOT_LANGUAGE', { infer: true });
    this.refusalWindowSeconds = config.get('CHAT_REFUSAL_WINDOW_SECONDS', { infer: true });
    this.quietMs = config.get('CHAT_QUIET_SECONDS', { infer: true }) * 1000;
    this.minQuestionLength = config.get('CHAT_MIN_QUESTION_LENGTH', { infer: true });
  }

  /**
   * Handles a new message (`message` update) whose validated fact is `fact` and bot command (for this
   * bot) `command`: its jobs join `jobs` (enqueued together once every handler ran).
   * @throws the Redis error (the webhook then answers 5xx and Telegram redelivers; job ids dedupe)
   */
  async onMessage(jobs: UpdateJobs, fact: MessageFact, message: Message, command: ParsedCommand | null, bot: BotIdentity): Promise<ChatDecision> {
    if (!fact.kind) return { action: 'none', reason: 'service message' };
    if (fact.chat.type === 'private') return this.onPrivateMessage(jobs, fact, message, command);
    jobs.add(QueueName.ChatContext, ContextJob.Message, fact, { ...CONTEXT_JOB_OPTIONS, jobId: updateJobId(fact.updateId) });
    if (!fact.sender || fact.sender.isBot) return { action: 'none', reason: 'sent by a bot' };

    const text = messageText(message);
    await Promise.all([this.access.noteMember(fact), this.cancelAnsweredQuestion(fact, text, Boolean(command))]);
    if (command && (CHAT_COMMANDS as readonly string[]).includes(command.command)) {
      const jobId = commandJobId(fact.chat.id, fact.messageId);
      const data: ChatCommandJob = { command: command.command as ChatCommandJob['command'], args: command.args.slice(0, 256), message: fact };
      jobs.add(QueueName.ChatAnswers, ChatJob.Command, data, { ...ANSWER_JOB_OPTIONS, jobId });
      return { action: 'command', jobId };
    }
    if (command) return { action: 'none', reason: 'command for someone else' };

    const replyTo = repliedMessageOf(message);
    const trigger = explicitTrigger(message, bot, this.names);
    if (trigger) {
      const refused = await this.admitExplicit(fact, message);
      if (refused) return this.ignored(fact, trigger, refused);
      return this.enqueueAnswer(jobs, trigger, fact, replyTo, 0);
    }
    if (!isQuestion(text, this.minQuestionLength)) return { action: 'none', reason: 'no trigger' };
    if (fact.replyToMessageId) return { action: 'none', reason: 'question replies to someone else' };
    const policy = await this.policies.get(fact.chat.id);
    if (policy === 'off') return { action: 'none', reason: 'question policy off' };
    const refused = (await this.access.refusal(fact)) ?? (await this.takeAll(questionLimits(fact)));
    if (refused) return this.ignored(fact, 'question', refused);
    const delayMs = policy === 'quiet' ? this.quietMs : 0;
    const decision = this.enqueueAnswer(jobs, 'question', fact, undefined, delayMs);
    // Once its delayed answer is in Redis, so a human answer can always find the job it cancels.
    if (delayMs > 0) jobs.afterEnqueue(() => this.quiet.remember(fact, delayMs));
    return decision;
  }

  /**
   * A private chat is the private assistant's (never the group machinery's, and it keeps no rolling
   * context): `/usage`, `/policy`, `/link` stay chat commands; an assistant command (ASSISTANT_COMMANDS)
   * → `assistant` `command` job (id `astc-<chat>-<message>`), subject to the allow-list only; anything
   * else → `assistant` `message` job (id `ast-<chat>-<message>`), subject to the allow-list and the
   * private per-user limit (a voice note, audio file or video note carries its file: assistantAudioOf).
   * Both carry the sender's `language_code`.
   */
  private async onPrivateMessage(jobs: UpdateJobs, fact: MessageFact, message: Message, command: ParsedCommand | null): Promise<ChatDecision> {
    if (!fact.sender || fact.sender.isBot) return { action: 'none', reason: 'sent by a bot' };
    if (command && (CHAT_COMMANDS as readonly string[]).includes(command.command)) {
      const jobId = commandJobId(fact.chat.id, fact.messageId);
      const data: ChatCommandJob = { command: command.command as ChatCommandJob['command'], args: command.args.slice(0, 256), message: fact };
      jobs.add(QueueName.ChatAnswers, ChatJob.Command, data, { ...ANSWER_JOB_OPTIONS, jobId });
      return { action: 'command', jobId };
    }
    const rawLanguage = (message.from as { language_code?: unknown } | undefined)?.language_code;
    const languageCode = typeof rawLanguage === 'string' ? rawLanguage.slice(0, 35) : undefined;
    if (command && (ASSISTANT_COMMANDS as readonly string[]).includes(command.command)) {
      const refused = await this.accessRefusal(fact, message);
      if (refused) return this.ignored(fact, 'private', refused);
      const jobId = `astc-${fact.chat.id}-${fact.messageId}`;
      const data: AssistantCommandJob = { command: command.command as AssistantCommand, args: command.args.slice(0, 4096), message: fact, languageCode };
      jobs.add(QueueName.Assistant, AssistantJob.Command, data, { ...ANSWER_JOB_OPTIONS, jobId });
      return { action: 'command', jobId };
    }
    const refused = await this.admitExplicit(fact, message);
    if (refused) return this.ignored(fact, 'private', refused);
    const jobId = assistantJobId(fact.chat.id, fact.messageId);
    const audio = assistantAudioOf(message);
    const file = assistantFileOf(message);
    const data: AssistantMessageJob = { message: fact, languageCode, ...(audio ? { audio } : {}), ...(file ? { file } : {}) };
    jobs.add(QueueName.Assistant, AssistantJob.Message, data, { ...ANSWER_JOB_OPTIONS, jobId });
    this.logger.debug({ jobId }, 'assistant message enqueued');
    return { action: 'answer', trigger: 'private', jobId, delayMs: 0 };
  }

  /** Handles an edited message (its validated `fact`): its new text replaces the old one in a group's context (private chats keep none). */
  onEditedMessage(jobs: UpdateJobs, fact: MessageFact): void {
    if (fact.kind && fact.chat.type !== 'private') jobs.add(QueueName.ChatContext, ContextJob.Message, fact, { ...CONTEXT_JOB_OPTIONS, jobId: updateJobId(fact.updateId) });
  }

  /**
   * Checks an explicit trigger against the allow-list, the user's limit and the chat's hourly cap;
   * tells the first refusal of a window (a private chat outside the allow-list once per
   * CHAT_REFUSAL_WINDOW_SECONDS). @returns the refusal reason, or null when it may be answered.
   */
  private async admitExplicit(fact: MessageFact, message: Message): Promise<string | null> {
    const target = { chatId: fact.chat.id, messageId: fact.messageId };
    // `language_code` is not checked at the door (update-schema): read as unknown, languageOf checks it.
    const userLanguage = languageOf((message.from as { language_code?: unknown } | undefined)?.language_code, this.language);
    const access = await this.accessRefusal(fact, message);
    if (access) return access;
    const userKind: LimiterKind = fact.chat.type === 'private' ? 'user-private' : 'user';
    const user = await this.limits.take(userKind, userKey(fact));
    if (!user.ok) {
      if (user.firstRefusal) await this.notify(target, CHAT_TEXTS[userLanguage].userLimit(minutesLeft(user.msBeforeNext)), `limit-${fact.chat.id}-${fact.messageId}`);
      return 'user limit';
    }
    const chat = await this.limits.take('chat-hour', String(fact.chat.id));
    if (!chat.ok) {
      await this.limits.refund(userKind, userKey(fact));
      if (chat.firstRefusal) await this.notify(target, CHAT_TEXTS[this.language].chatCap(minutesLeft(chat.msBeforeNext)), `cap-${fact.chat.id}-${fact.messageId}`);
      return 'chat answers per hour';
    }
    return null;
  }

  /**
   * Checks the allow-list; a private chat outside it is told once per CHAT_REFUSAL_WINDOW_SECONDS.
   * @returns the refusal reason, or null when the chat may be answered.
   */
  private async accessRefusal(fact: MessageFact, message: Message): Promise<string | null> {
    const access = await this.access.refusal(fact);
    if (access === 'private chat not allowed') {
      const userLanguage = languageOf((message.from as { language_code?: unknown } | undefined)?.language_code, this.language);
      const key = chatKeys.notice(this.prefix, 'private-not-allowed', fact.chat.id, fact.sender!.id);
      const jobId = `deny-${fact.chat.id}-${fact.messageId}`;
      if (await claimNotice(this.redis, key, jobId, this.refusalWindowSeconds)) await this.notify({ chatId: fact.chat.id, messageId: fact.messageId }, CHAT_TEXTS[userLanguage].privateNotAllowed, jobId);
    }
    return access;
  }

  /**
   * Takes one point of each limit in order; when one refuses, the points already taken are given
   * back. @returns the refusal reason, or null when every limit allowed it.
   */
  private async takeAll(limits: Array<{ kind: LimiterKind; key: string; reason: string }>): Promise<string | null> {
    for (const [i, limit] of limits.entries()) {
      const result = await this.limits.take(limit.kind, limit.key);
      if (result.ok) continue;
      for (const taken of limits.slice(0, i)) await this.limits.refund(taken.kind, taken.key);
      return limit.reason;
    }
    return null;
  }

  private ignored(fact: MessageFact, trigger: TriggerKind, reason: string): ChatDecision {
    this.logger.log({ chatId: fact.chat.id, userId: fact.sender?.id, messageId: fact.messageId, trigger, reason }, 'trigger ignored');
    return { action: 'none', reason };
  }

  private enqueueAnswer(jobs: UpdateJobs, trigger: TriggerKind, fact: MessageFact, replyTo: Message | undefined, delayMs: number): ChatDecision {
    const jobId = answerJobId(fact.chat.id, fact.messageId);
    const data: AnswerJob = { trigger, message: fact };
    if (replyTo) {
      const parsed = MessageFactSchema.safeParse(toMessageFact(0, replyTo));
      if (parsed.success && parsed.data.kind) data.replyTo = parsed.data;
    }
    jobs.add(QueueName.ChatAnswers, ChatJob.Answer, data, { ...ANSWER_JOB_OPTIONS, jobId, ...(delayMs > 0 ? { delay: delayMs } : {}) });
    this.logger.debug({ jobId, trigger, delayMs }, 'answer enqueued');
    return { action: 'answer', trigger, jobId, delayMs };
  }

  /**
   * A human answer to a question still waiting under the `quiet` policy removes its delayed answer:
   * another person's reply to it, or (QuietQuestions) the next message in its thread from someone
   * other than the asker that is not itself a question or a command.
   */
  private async cancelAnsweredQuestion(fact: MessageFact, text: string, isCommand: boolean): Promise<void> {
    if (fact.replyToMessageId) return this.cancelQuietAnswer(fact, fact.replyToMessageId, 'reply');
    if (isCommand || isQuestion(text, 1)) return;
    const questionId = await this.quiet.answeredBy(fact);
    if (questionId !== null) await this.cancelQuietAnswer(fact, questionId, 'next message');
  }

  /** Removes the delayed answer to `questionId` and gives back the limits its question took. */
  private async cancelQuietAnswer(answer: MessageFact, questionId: number, how: 'reply' | 'next message'): Promise<void> {
    const job = await this.answers.getJob(answerJobId(answer.chat.id, questionId));
    if (!job || job.data?.trigger !== 'question') return;
    const question = (job.data as AnswerJob).message;
    if (question.sender?.id === answer.sender?.id) return;
    if (!(await job.isDelayed())) return;
    try {
      await job.remove();
    } catch {
      return; // taken by a worker meanwhile: the answer goes out
    }
    for (const limit of questionLimits(question)) await this.limits.refund(limit.kind, limit.key);
    this.logger.log({ chatId: answer.chat.id, questionId, how }, 'quiet answer cancelled: a human answered first');
  }

  /** Enqueues a short plain-text notice replying to `target` (HTML-escaped). */
  private async notify(target: { chatId: number; messageId: number }, text: string, jobId: string): Promise<void> {
    await this.outbox.send(
      {
        method: 'sendMessage',
        params: { chat_id: target.chatId, text: escapeHtml(text), parse_mode: 'HTML', reply_parameters: { message_id: target.messageId, allow_sending_without_reply: true } },
        chatId: target.chatId,
        isMessage: true,
      },
      jobId,
    );
  }
}

/** The per-user limiter key of a message's sender in its chat. */
function userKey(fact: MessageFact): string {
  return `${fact.chat.id}:${fact.sender?.id ?? 0}`;
}

/** The limits an unaddressed question takes, in order (cooldown, the asker's limit, the hourly cap). */
function questionLimits(question: MessageFact): Array<{ kind: LimiterKind; key: string; reason: string }> {
  return [
    { kind: 'question-cooldown', key: String(question.chat.id), reason: 'chat cooldown' },
    { kind: 'user', key: userKey(question), reason: 'user limit' },
    { kind: 'chat-hour', key: String(question.chat.id), reason: 'chat answers per hour' },
  ];
}
