import { chatKeys, CHAT_TEXTS } from '@kraken/chat';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { WORKER_REDIS } from './chat-worker.providers';
import type { LlmWorkerEnv } from './llm-worker.env';
import { ReplySender, type ReplyTarget } from './reply-sender';

/**
 * Rate-limited notices: "LLM is not configured" at most once per chat per
 * CHAT_NOT_CONFIGURED_INTERVAL_SECONDS (default 1 h), the apology for an LLM outage at most once per
 * chat per CHAT_APOLOGY_INTERVAL_SECONDS. The limit is a Redis `SET NX EX` marker per chat.
 */
@Injectable()
export class ChatNotices {
  private readonly prefix: string;

  constructor(
    @Inject(WORKER_REDIS) private readonly redis: Redis,
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

  private async once(kind: 'not-configured' | 'apology', seconds: number, target: ReplyTarget, text: string, jobId: string): Promise<boolean> {
    if (seconds > 0) {
      const fresh = await this.redis.set(chatKeys.notice(this.prefix, kind, target.chatId), jobId, 'EX', seconds, 'NX');
      if (fresh === null) {
        // A retry of the job that set the marker still sends (its outbox job id dedupes).
        if ((await this.redis.get(chatKeys.notice(this.prefix, kind, target.chatId))) !== jobId) return false;
      }
    }
    await this.sender.notify(target, text, jobId);
    return true;
  }
}
