import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '@kraken/config';
import { botNamePattern, chatKeys, ChatPolicyStore, explicitTrigger, isQuestion, isRecapRequest, type BotIdentity, type ParsedCommand } from '@kraken/chat';
import {
  answerJobId,
  type KbCommandJob,
  kbCommandJobId,
  KbCommandJobSchema,
  kbKeys,
  kbProbeJobId,
  KnowledgeJob,
  type MessageFact,
  QueueName,
  type RecapJob,
  recapJobId,
} from '@kraken/contracts';
import { messageText, repliedMessageOf } from '@kraken/telegram';
import type { RedisClient } from '@kraken/redis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Message } from 'telegraf/types';
import { ANSWER_JOB_OPTIONS } from '../chat/chat-queues';
import type { UpdateJobs } from '../updates/update-jobs';
import { GATEWAY_REDIS } from '../gateway-redis.provider';

/** What the gateway did with a message (for tests and logs); `pass` hands it on to the chat handlers. */
export type KnowledgeDecision = { action: 'recap' | 'kb'; jobId: string } | { action: 'limited' } | { action: 'pass' };

/**
 * Decides recaps and knowledge-base commands (the llm-worker executes them):
 * - `/recap [6h|200]` (optionally `@bot`; a reply means "from that message on"; in a forum topic only
 *   that topic) and "Кракен, что тут было?" (isRecapRequest) → `recap` job `rcp-<chat>-<message>`,
 *   subject to the same per-user limit as answers (CHAT_USER_LIMIT per CHAT_USER_WINDOW_SECONDS);
 * - `/kb …` → `kb-command` job `kb-<chat>-<message>` with the replied-to text or file;
 * - a question that will wait under the `quiet` policy in a chat with a knowledge base → a `kb-probe`
 *   job, which answers it at once when the knowledge base answers it well (see `probeAfterChat`).
 * Messages from bots are ignored. Queue and Redis errors propagate (the webhook answers 5xx).
 */
@Injectable()
export class KnowledgeTriggerService {
  private readonly logger = new Logger(KnowledgeTriggerService.name);
  private readonly names: RegExp;
  private readonly perUser: RateLimiterRedis;
  private readonly policies: ChatPolicyStore;
  private readonly prefix: string;
  private readonly minQuestionLength: number;

  constructor(
    @Inject(GATEWAY_REDIS) private readonly redis: RedisClient,
    config: ConfigService<GatewayEnv, true>,
  ) {
    this.prefix = config.get('QUEUE_PREFIX', { infer: true });
    this.names = botNamePattern(config.get('BOT_NAMES', { infer: true }));
    this.policies = new ChatPolicyStore(redis, this.prefix, config.get('CHAT_QUESTION_POLICY', { infer: true }));
    this.minQuestionLength = config.get('CHAT_MIN_QUESTION_LENGTH', { infer: true });
    // The answers' per-user limiter (same key prefix and settings as ChatTriggerService): recaps share its budget.
    this.perUser = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: chatKeys.rateLimiter(this.prefix, 'user'),
      points: config.get('CHAT_USER_LIMIT', { infer: true }),
      duration: config.get('CHAT_USER_WINDOW_SECONDS', { infer: true }),
    });
  }

  /**
   * Handles a new message (its validated `fact`, the bot `command` it starts with) before the chat
   * handlers; its job joins `jobs`. @throws the Redis error
   */
  async onMessage(jobs: UpdateJobs, fact: MessageFact, message: Message, command: ParsedCommand | null): Promise<KnowledgeDecision> {
    // Cheap text checks first: most messages are neither, and pass on.
    const text = messageText(message);
    const recap = command?.command === 'recap' || (!command && isRecapRequest(text, this.names));
    if (!recap && command?.command !== 'kb') return { action: 'pass' };
    if (!fact.kind || !fact.sender || fact.sender.isBot) return { action: 'pass' };
    if (recap) {
      if (!(await this.take(`${fact.chat.id}:${fact.sender.id}`))) return { action: 'limited' };
      const jobId = recapJobId(fact.chat.id, fact.messageId);
      const topicId = message.is_topic_message === true && typeof message.message_thread_id === 'number' ? message.message_thread_id : undefined;
      const data: RecapJob = {
        message: fact,
        args: command ? command.args.slice(0, 64) : '',
        ...(topicId ? { topicId } : {}),
        ...(command && fact.replyToMessageId ? { fromMessageId: fact.replyToMessageId } : {}),
      };
      jobs.add(QueueName.ChatKnowledge, KnowledgeJob.Recap, data, { ...ANSWER_JOB_OPTIONS, jobId });
      return { action: 'recap', jobId };
    }
    const jobId = kbCommandJobId(fact.chat.id, fact.messageId);
    const data: KbCommandJob = KbCommandJobSchema.parse({ message: fact, args: command!.args.slice(0, 1024), ...replyOf(message, fact) });
    jobs.add(QueueName.ChatKnowledge, KnowledgeJob.Command, data, { ...ANSWER_JOB_OPTIONS, jobId });
    return { action: 'kb', jobId };
  }

  /**
   * After the chat handlers ran: a question they left waiting under the `quiet` policy, in a chat with
   * a knowledge base, gets a probe job (the worker promotes the delayed answer when the knowledge base
   * answers the question well). The probe joins `jobs`, after the answer it probes. @throws the Redis error
   */
  async probeAfterChat(jobs: UpdateJobs, fact: MessageFact, message: Message, command: ParsedCommand | null, bot: BotIdentity): Promise<boolean> {
    if (!isQuestion(messageText(message), this.minQuestionLength) || command || explicitTrigger(message, bot, this.names)) return false;
    if (!fact.kind || !fact.sender || fact.sender.isBot || fact.replyToMessageId || fact.chat.type === 'private') return false;
    if (!(await this.redis.sismember(kbKeys.chats(this.prefix), String(fact.chat.id))) && !(await this.redis.sismember(kbKeys.chats(this.prefix), 'all'))) return false;
    if ((await this.policies.get(fact.chat.id)) !== 'quiet') return false;
    jobs.add(QueueName.ChatKnowledge, KnowledgeJob.Probe, { message: fact, answerJobId: answerJobId(fact.chat.id, fact.messageId) }, { ...ANSWER_JOB_OPTIONS, jobId: kbProbeJobId(fact.chat.id, fact.messageId) });
    this.logger.debug({ chatId: fact.chat.id, messageId: fact.messageId }, 'knowledge-base probe enqueued');
    return true;
  }

  private async take(key: string): Promise<boolean> {
    try {
      await this.perUser.consume(key, 1);
      return true;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return false;
      throw rejection;
    }
  }
}

/**
 * The replied-to message's text or document, for `/kb add` (not the forum-topic root link). Of the
 * document only `file_id` is checked at the door; its name, type and size are checked by
 * KbCommandJobSchema.
 */
function replyOf(message: Message, fact: MessageFact): Pick<KbCommandJob, 'reply'> {
  const reply = repliedMessageOf(message);
  if (!reply || !fact.replyToMessageId) return {};
  const document = 'document' in reply ? reply.document : undefined;
  const text = messageText(reply);
  return {
    reply: {
      messageId: fact.replyToMessageId,
      ...(text ? { text: text.slice(0, 4096) } : {}),
      ...(document ? { document: { fileId: document.file_id, fileName: document.file_name, mimeType: document.mime_type, fileSize: document.file_size } } : {}),
    },
  };
}
