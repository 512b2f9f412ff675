import { chatKeys } from '@kraken/chat';
import type { RecapJob } from '@kraken/contracts';
import { LlmNotConfiguredError, LlmUnavailableError } from '@kraken/llm';
import { parseRecapArgs, RECAP_TEXTS, RecapService, type RecapOutcome } from '@kraken/recap';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { UnrecoverableError, type Job } from 'bullmq';
import type { RedisClient } from '@kraken/redis';
import { ChatNotices } from '../chat-notices';
import { WORKER_REDIS } from '../chat-worker.providers';
import type { LlmWorkerEnv } from '../llm-worker.env';
import { ReplySender, type ReplyTarget } from '../reply-sender';
import { htmlParts } from './telegram-parts';

/** How long a recap's text is kept for retries of its job, in seconds. */
const RECAP_TEXT_TTL_SECONDS = 24 * 3600;

/** What a recap job returns (kept with the completed job). */
export type RecapJobOutcome = { sent: RecapOutcome['kind'] | 'bad-args' | 'private' | 'not-configured'; messageIds: number[]; ids?: number[]; calls?: number; maxPromptTokens?: number };

/**
 * Executes `recap` jobs: reads the window from PostgreSQL, summarises it (RecapService: map-reduce,
 * purpose `recap` in usage, one recap per chat/topic per RECAP_INTERVAL_SECONDS) and replies through
 * the outbox. The text is stored under the job id before sending, so a retried job sends the same
 * recap once. LLM outage: one apology (rate limited) and the job fails without retries.
 */
@Injectable()
export class RecapJobHandler {
  private readonly prefix: string;

  constructor(
    private readonly recaps: RecapService,
    private readonly sender: ReplySender,
    private readonly notices: ChatNotices,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
    @Inject(WORKER_REDIS) private readonly redis: RedisClient,
  ) {
    this.prefix = config.get('QUEUE_PREFIX', { infer: true });
  }

  /**
   * @param token the job's lock token
   * @throws WaitingChildrenError while the reply is on its way (ReplySender.deliverParts; the job runs
   *   again when it was sent, and finds its recap stored)
   * @throws UnrecoverableError for LLM outages; other errors are retried
   */
  async handle({ message, args, topicId, fromMessageId }: RecapJob, job: Job, token: string): Promise<RecapJobOutcome> {
    const key = String(job.id);
    const target: ReplyTarget = { chatId: message.chat.id, messageId: message.messageId };
    const t = RECAP_TEXTS[this.config.get('BOT_LANGUAGE', { infer: true })];
    if (message.chat.type === 'private') return this.say(job, token, target, t.privateChat, 'private');
    const spec = parseRecapArgs(args, fromMessageId);
    if (!spec) return this.say(job, token, target, t.badArgs, 'bad-args');

    const textKey = chatKeys.answerText(this.prefix, key);
    const stored = await this.redis.get(textKey);
    let outcome: RecapOutcome;
    if (stored !== null) outcome = JSON.parse(stored) as RecapOutcome;
    else {
      await this.sender.typing(target, `${key}-typing`).catch(() => undefined);
      try {
        outcome = await this.recaps.recap({
          chatId: message.chat.id,
          chatTitle: message.chat.title,
          messageId: message.messageId,
          date: message.date,
          senderId: message.sender?.id,
          topicId,
          spec,
          requestKey: key,
        });
      } catch (error) {
        if (error instanceof LlmNotConfiguredError) {
          await this.notices.notConfigured(target, key);
          return { sent: 'not-configured', messageIds: [] };
        }
        if (error instanceof LlmUnavailableError) {
          await this.notices.apology(target, key);
          throw new UnrecoverableError(error.message.slice(0, 1000));
        }
        throw error;
      }
      await this.redis.set(textKey, JSON.stringify(outcome), 'EX', RECAP_TEXT_TTL_SECONDS);
    }
    const sent = await this.sender.deliverParts(job, token, target, htmlParts(outcome.html), key);
    return {
      sent: outcome.kind,
      messageIds: sent.map((m) => m.message_id),
      ...(outcome.kind === 'recap' ? { ids: outcome.ids, calls: outcome.calls, maxPromptTokens: outcome.maxPromptTokens } : {}),
    };
  }

  private async say(job: Job, token: string, target: ReplyTarget, html: string, sent: RecapJobOutcome['sent']): Promise<RecapJobOutcome> {
    const messages = await this.sender.deliverParts(job, token, target, htmlParts(html), String(job.id));
    return { sent, messageIds: messages.map((m) => m.message_id) };
  }
}
