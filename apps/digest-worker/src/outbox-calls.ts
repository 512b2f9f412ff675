import { QueueName, type OutboxCall } from '@kraken/contracts';
import { redisConnection, redisTarget } from '@kraken/queue';
import { OutboxService } from '@kraken/outbox';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { QueueEvents } from 'bullmq';
import type { DigestWorkerEnv } from './digest-worker.env';

/** How long a call may wait for the outbox (limits and 429 back-offs included) before the job retries, in ms. */
export const OUTBOX_WAIT_MS = 10 * 60_000;

/** A Bot API call that ended failed in the outbox (permanent error, or out of attempts). */
export class OutboxCallError extends Error {
  override name = 'OutboxCallError';
}

/**
 * Bot API calls through the outbox, for workers that need the result (a sent message's id, the list
 * of admins). With a `jobId` the call is idempotent: a retried job re-attaches to the same outbox job
 * (BullMQ ignores a duplicate id while the job is kept; the outbox's sent markers cover re-runs), so
 * nothing is sent twice. A call that failed for good is removed from the outbox's failed set before
 * OutboxCallError is thrown, so a later retry under the same id can really try again; it was never
 * accepted by Telegram, so that retry cannot double-send.
 */
@Injectable()
export class OutboxCalls implements OnModuleDestroy {
  private events?: Promise<QueueEvents>;

  constructor(
    private readonly outbox: OutboxService,
    private readonly config: ConfigService<DigestWorkerEnv, true>,
  ) {}

  /**
   * Enqueues `call` (under `jobId` when given) and waits for Telegram's result.
   * @throws OutboxCallError with the outbox's failure reason (e.g. `sendMessage failed: 403 Forbidden: …`)
   * @throws Error "… timed out …" after `timeoutMs`, or when the app shuts down while waiting (the call
   *   stays queued; a retry re-attaches)
   */
  async call<T>(call: OutboxCall, jobId?: string, timeoutMs = OUTBOX_WAIT_MS): Promise<T> {
    const events = await this.queueEvents();
    const job = await this.outbox.enqueue(call, jobId === undefined ? {} : { jobId });
    try {
      return (await job.waitUntilFinished(events, timeoutMs)) as T;
    } catch (error) {
      // Timeouts and a closing queue reject too; only a job that really ended failed is removed.
      if (!(await job.isFailed().catch(() => false))) throw error;
      await job.remove().catch(() => undefined);
      throw new OutboxCallError(error instanceof Error ? error.message : String(error));
    }
  }

  /** Enqueues `call` under `jobId` without waiting (notices whose delivery nobody waits for). */
  async send(call: OutboxCall, jobId: string): Promise<void> {
    await this.outbox.enqueue(call, { jobId });
  }

  /** Closes the QueueEvents connection. */
  async onModuleDestroy(): Promise<void> {
    const events = this.events;
    this.events = undefined;
    if (events) await (await events.catch(() => undefined))?.close();
  }

  private queueEvents(): Promise<QueueEvents> {
    this.events ??= (async () => {
      const events = new QueueEvents(QueueName.Outbox, {
        connection: redisConnection(redisTarget(this.config), 'worker'),
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
