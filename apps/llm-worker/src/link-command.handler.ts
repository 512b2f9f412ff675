import { AccountRepository, LINK_TEXTS, TelegramLinkCodes } from '@kraken/auth';
import { escapeHtml } from '@kraken/chat';
import type { ChatCommandJob } from '@kraken/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job } from 'bullmq';
import type { RedisClient } from '@kraken/redis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { WORKER_REDIS } from './chat-worker.providers';
import type { LlmWorkerEnv } from './llm-worker.env';
import { ReplySender } from './reply-sender';

/** `/link` attempts allowed per Telegram user per window, and the window in seconds. */
const LINK_ATTEMPTS = 5;
const LINK_WINDOW_SECONDS = 600;

/** What a `/link` job did. */
export type LinkOutcome = 'linked' | 'invalid' | 'usage' | 'private-only' | 'taken' | 'too-many';

/**
 * Executes `/link <code>` (a `command` job from the gateway): in a private chat, claims the one-time
 * code the HTTP API issued (POST /users/me/telegram-link) and attaches the sender's Telegram user to
 * that account, so budgets and usage are shared. At most LINK_ATTEMPTS tries per Telegram user per
 * 10 minutes (codes have 40 bits). A code sent in a group is burnt (everyone saw it) and the sender
 * is told to use a private chat. A retried job claims the same code again (the claim names the job
 * id) and its reply keeps the outbox job id `<job id>-r`, so it is answered once.
 */
@Injectable()
export class LinkCommandHandler {
  private readonly codes: TelegramLinkCodes;
  private readonly attempts: RateLimiterRedis;

  constructor(
    private readonly accounts: AccountRepository,
    private readonly sender: ReplySender,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
    @Inject(WORKER_REDIS) redis: RedisClient,
  ) {
    const prefix = config.get('QUEUE_PREFIX', { infer: true });
    this.codes = new TelegramLinkCodes(redis, prefix);
    this.attempts = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:auth:link-attempts`, points: LINK_ATTEMPTS, duration: LINK_WINDOW_SECONDS });
  }

  /**
   * Handles one `/link` command. @returns what was answered.
   * @throws Redis, database and outbox errors (retried)
   */
  async handle({ args, message }: ChatCommandJob, job: Job): Promise<{ answered: LinkOutcome }> {
    const t = LINK_TEXTS[this.config.get('BOT_LANGUAGE', { infer: true })];
    const answer = async (outcome: LinkOutcome, html: string) => {
      await this.sender.notify({ chatId: message.chat.id, messageId: message.messageId }, html, `${job.id}-r`);
      return { answered: outcome };
    };
    if (message.chat.type !== 'private') {
      if (args) await this.codes.burn(args);
      return answer('private-only', escapeHtml(t.privateOnly));
    }
    if (!message.sender || message.sender.kind !== 'user' || message.sender.isBot) return answer('invalid', escapeHtml(t.invalid));
    if (!args) return answer('usage', escapeHtml(t.usage));
    if (!(await this.take(String(message.sender.id)))) return answer('too-many', escapeHtml(t.tooMany));
    const accountId = await this.codes.claim(args, String(job.id));
    if (!accountId) return answer('invalid', escapeHtml(t.invalid));
    const linked = await this.accounts.linkTelegram(accountId, message.sender.id);
    if (linked === 'taken') return answer('taken', escapeHtml(t.taken));
    const account = linked === 'linked' ? await this.accounts.findById(accountId) : null;
    if (!account) return answer('invalid', escapeHtml(t.invalid));
    return answer('linked', escapeHtml(t.linked(account.name)));
  }

  /** Consumes one attempt of `telegramUserId`; false when used up. @throws the Redis error. */
  private async take(telegramUserId: string): Promise<boolean> {
    try {
      await this.attempts.consume(telegramUserId, 1);
      return true;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return false;
      throw rejection;
    }
  }
}
