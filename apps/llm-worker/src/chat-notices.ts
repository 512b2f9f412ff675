import { chatKeys, CHAT_TEXTS, claimNotice, escapeHtml, type NoticeKind } from '@kraken/chat';
import type { BudgetRefusal } from '@kraken/llm';
import { dayOf } from '@kraken/stats';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RedisClient } from '@kraken/redis';
import { WORKER_REDIS } from './chat-worker.providers';
import type { LlmWorkerEnv } from './llm-worker.env';
import { ReplySender, type ReplyTarget } from './reply-sender';

/**
 * Rate-limited notices: "LLM is not configured" at most once per chat per
 * CHAT_NOT_CONFIGURED_INTERVAL_SECONDS (default 1 h), the apology for an LLM outage at most once per
 * chat per CHAT_APOLOGY_INTERVAL_SECONDS, "the LLM budget is used up" once per chat per day (in
 * KRAKEN_TIMEZONE), a refused command once per user per chat per CHAT_REFUSAL_WINDOW_SECONDS. The
 * limit is a Redis `SET NX EX` marker (claimNotice).
 */
@Injectable()
export class ChatNotices {
  private readonly prefix: string;

  constructor(
    @Inject(WORKER_REDIS) private readonly redis: RedisClient,
    private readonly sender: ReplySender,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
  ) {
    this.prefix = config.get('QUEUE_PREFIX', { infer: true });
  }

  /** Sends the not-configured notice unless one went to this chat recently. @returns whether it was sent. */
  notConfigured(target: ReplyTarget, key: string): Promise<boolean> {
    const t = CHAT_TEXTS[this.config.get('BOT_LANGUAGE', { infer: true })];
    return this.once('not-configured', this.config.get('CHAT_NOT_CONFIGURED_INTERVAL_SECONDS', { infer: true }), target, t.notConfigured, `${key}-nc`);
  }

  /** Sends the apology unless one went to this chat recently. @returns whether it was sent. */
  apology(target: ReplyTarget, key: string): Promise<boolean> {
    const t = CHAT_TEXTS[this.config.get('BOT_LANGUAGE', { infer: true })];
    return this.once('apology', this.config.get('CHAT_APOLOGY_INTERVAL_SECONDS', { infer: true }), target, t.apology, `${key}-sorry`);
  }

  /** Tells the chat its LLM budget is used up, once per chat per day. @returns whether it was sent. */
  async overBudget(target: ReplyTarget, key: string, refusal: BudgetRefusal): Promise<boolean> {
    const t = CHAT_TEXTS[this.config.get('BOT_LANGUAGE', { infer: true })];
    const day = dayOf(new Date(), this.config.get('KRAKEN_TIMEZONE', { infer: true }));
    const marker = chatKeys.notice(this.prefix, 'budget', target.chatId, day);
    if (!(await claimNotice(this.redis, marker, `${key}-budget`, 2 * 86_400))) return false;
    await this.sender.notify(target, escapeHtml(t.overBudget(refusal)), `${key}-budget`);
    return true;
  }

  /**
   * Sends `html` refusing a command of `userId`, unless a refusal went to them in this chat within
   * CHAT_REFUSAL_WINDOW_SECONDS (then nothing: a flood of commands gets one reply). @returns whether it was sent.
   */
  async refusal(target: ReplyTarget, userId: number, html: string, jobId: string): Promise<boolean> {
    const marker = chatKeys.notice(this.prefix, 'refusal', target.chatId, userId);
    if (!(await claimNotice(this.redis, marker, jobId, this.config.get('CHAT_REFUSAL_WINDOW_SECONDS', { infer: true })))) return false;
    await this.sender.notify(target, html, jobId);
    return true;
  }

  private async once(kind: NoticeKind, seconds: number, target: ReplyTarget, text: string, jobId: string): Promise<boolean> {
    if (seconds > 0 && !(await claimNotice(this.redis, chatKeys.notice(this.prefix, kind, target.chatId), jobId, seconds))) return false;
    await this.sender.notify(target, text, jobId);
    return true;
  }
}
