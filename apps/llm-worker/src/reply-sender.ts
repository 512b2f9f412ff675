import type { MessagePart } from '@kraken/chat';
import { QueueName, redisConnection, type OutboxCall } from '@kraken/contracts';
import { OutboxService, waitForOutboxResult } from '@kraken/outbox';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { QueueEvents } from 'bullmq';
import type { LlmWorkerEnv } from './llm-worker.env';

/** How long one part may wait for the outbox (429 back-offs included) before the answer job retries, in ms. */
export const PART_WAIT_MS = 10 * 60_000;
/** Telegram's answer when HTML does not parse (https://core.telegram.org/bots/api#formatting-options). */
const PARSE_ERROR = /can't parse entities/i;

/**
 * Where a reply goes: the chat and the message it answers. No `message_thread_id` is needed: a reply
 * lands in the topic of the message it replies to.
 */
export interface ReplyTarget {
  chatId: number;
  messageId: number;
}

/** A message Telegram accepted (the parts of sendMessage's result the worker uses). */
export interface SentMessage {
  message_id: number;
  date: number;
  text?: string;
}

/**
 * Sends replies through the outbox (every Bot API call goes there). Outbox job ids derive from the
 * caller's idempotency key (`<key>-p<i>`), so a retried answer job re-attaches to the calls it made
 * before instead of sending again (BullMQ ignores a duplicate id; the outbox's sent markers cover
 * re-runs). Parts are sent one after another, each awaited, so they arrive in order.
 */
@Injectable()
export class ReplySender implements OnApplicationShutdown {
  private events?: Promise<QueueEvents>;

  constructor(
    private readonly outbox: OutboxService,
    private readonly config: ConfigService<LlmWorkerEnv, true>,
  ) {}

  /**
   * Sends `parts` as replies to `target` (the first part quotes the trigger), HTML first; a part
   * Telegram refuses with 400 "can't parse entities" is resent as plain text (`<key>-p<i>-plain`).
   * @param signal stops waiting for the parts when aborted (the answer job was handed back at shutdown)
   * @returns the sent messages, in order
   * @throws Error with the outbox job's failure reason (e.g. 403 bot was kicked), or a timeout;
   *   `signal.reason` when it aborted
   */
  async sendParts(target: ReplyTarget, parts: MessagePart[], key: string, signal?: AbortSignal): Promise<SentMessage[]> {
    const sent: SentMessage[] = [];
    for (const [i, part] of parts.entries()) {
      const reply = i === 0 ? { reply_parameters: { message_id: target.messageId, allow_sending_without_reply: true } } : {};
      const base = { chat_id: target.chatId, link_preview_options: { is_disabled: true }, ...reply };
      try {
        sent.push(await this.call({ method: 'sendMessage', params: { ...base, text: part.html, parse_mode: 'HTML' }, chatId: target.chatId, isMessage: true }, `${key}-p${i}`, signal));
      } catch (error) {
        if (!(error instanceof Error) || !PARSE_ERROR.test(error.message)) throw error;
        sent.push(await this.call({ method: 'sendMessage', params: { ...base, text: part.plain }, chatId: target.chatId, isMessage: true }, `${key}-p${i}-plain`, signal));
      }
    }
    return sent;
  }

  /** Enqueues a short HTML reply to `target` (notices, command answers) without waiting for it. */
  async notify(target: ReplyTarget, html: string, jobId: string): Promise<void> {
    await this.outbox.enqueue(
      {
        method: 'sendMessage',
        params: { chat_id: target.chatId, text: html, parse_mode: 'HTML', reply_parameters: { message_id: target.messageId, allow_sending_without_reply: true } },
        chatId: target.chatId,
        isMessage: true,
      },
      { jobId },
    );
  }

  /** Enqueues a `typing` chat action (shown for up to 5 s or until the next message). */
  async typing(target: ReplyTarget, jobId: string): Promise<void> {
    await this.outbox.enqueue({ method: 'sendChatAction', params: { chat_id: target.chatId, action: 'typing' }, chatId: target.chatId }, { jobId });
  }

  /**
   * Closes the QueueEvents connection at application shutdown, i.e. after LlmWorkerService stopped
   * its workers in beforeApplicationShutdown: running answers still get their parts' results.
   */
  async onApplicationShutdown(): Promise<void> {
    const events = this.events;
    this.events = undefined;
    if (events) await (await events.catch(() => undefined))?.close();
  }

  private async call(call: OutboxCall, jobId: string, signal: AbortSignal | undefined): Promise<SentMessage> {
    signal?.throwIfAborted();
    const events = await this.queueEvents();
    const job = await this.outbox.enqueue(call, { jobId });
    return waitForOutboxResult<SentMessage>(job, events, PART_WAIT_MS, signal);
  }

  private queueEvents(): Promise<QueueEvents> {
    this.events ??= (async () => {
      const events = new QueueEvents(QueueName.Outbox, {
        connection: redisConnection(this.config.get('REDIS_URL', { infer: true }), 'worker'),
        prefix: this.config.get('QUEUE_PREFIX', { infer: true }),
      });
      await events.waitUntilReady();
      return events;
    })().catch((error: unknown) => {
      this.events = undefined;
      throw error;
    });
    return this.events;
  }
}
