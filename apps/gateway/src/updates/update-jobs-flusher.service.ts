import { InjectFlowProducer } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '@kraken/config';
import type { FlowProducer } from 'bullmq';
import type { Context, MiddlewareFn } from 'telegraf';
import { startUpdateJobs, type UpdateJob } from './update-jobs';

/** Name of the gateway's flow producer (BullModule.registerFlowProducerAsync in UpdateJobsModule). */
export const UPDATE_FLOW_PRODUCER = 'update-jobs';

/** Thrown when Redis did not accept an update's jobs in time; the webhook answers 503 so Telegram redelivers. */
export class EnqueueFailedError extends Error {
  override name = 'EnqueueFailedError';
}

/** ENQUEUE_TIMEOUT_MS passed without Redis answering (a plain error in polling mode, which then retries). */
class EnqueueTimeoutError extends Error {
  override name = 'EnqueueTimeoutError';
}

/** One update's jobs waiting for their event-loop turn's addBulk, and how to answer its caller. */
interface WaitingUpdate {
  jobs: readonly UpdateJob[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Enqueues every job of an update in one Redis round trip: BullMQ's `FlowProducer.addBulk` with each
 * job as a root flow, which adds them all in one MULTI/EXEC across their queues (so the queues must
 * share one Redis node: on a Redis Cluster, a hash-tagged QUEUE_PREFIX). The jobs of all updates
 * flushed in the same event-loop turn (webhook requests handled concurrently) share that one addBulk,
 * sent once the turn's I/O callbacks have run (setImmediate), so under load Redis gets one MULTI per
 * turn instead of one per update; a lone update waits for nothing but the end of its turn. Job ids are
 * the handlers' (`tg-<update_id>` …), so a redelivered update is not enqueued twice while its jobs are
 * kept, also when both copies share a batch.
 * Each caller resolves only after Redis accepted its jobs. When Redis refuses a shared addBulk, each of
 * its updates is sent again alone (jobs already added dedupe by id), so only the updates whose jobs
 * Redis refuses fail; a timeout or a closing producer fails the whole batch. In webhook mode a failure
 * throws EnqueueFailedError (after at most ENQUEUE_TIMEOUT_MS per try); in polling mode it retries
 * with back-off (up to 5 s between tries) until Redis is back, which pauses polling instead of losing
 * the update.
 */
@Injectable()
export class UpdateJobsFlusher {
  private readonly logger = new Logger(UpdateJobsFlusher.name);
  private readonly timeoutMs: number;
  private readonly retryForever: boolean;
  /** Updates flushed in the current event-loop turn, sent together by sendBatch. */
  private waiting: WaitingUpdate[] = [];

  constructor(
    @InjectFlowProducer(UPDATE_FLOW_PRODUCER) private readonly flows: FlowProducer,
    config: ConfigService<GatewayEnv, true>,
  ) {
    this.timeoutMs = config.get('ENQUEUE_TIMEOUT_MS', { infer: true });
    this.retryForever = config.get('TELEGRAM_MODE', { infer: true }) === 'polling';
  }

  /**
   * Telegraf middleware, before every handler: gives the update a collector (updateJobsOf), runs the
   * handlers, then enqueues what they collected and runs their after-enqueue tasks. A handler's error
   * propagates and nothing of the update is enqueued; while Redis is unreachable (a handler's own
   * Redis read failed before the jobs were sent) it becomes EnqueueFailedError, as a refused enqueue.
   * In polling mode the handlers only run once Redis is reachable (waiting with back-off), so polling
   * pauses while Redis is down, as it does for a refused enqueue.
   */
  readonly middleware: MiddlewareFn<Context> = async (ctx, next) => {
    const updateId = ctx.update.update_id;
    const jobs = startUpdateJobs(ctx);
    for (let attempt = 1; this.retryForever && !this.flows.closing && (await this.redisUnreachable()); attempt++) await this.backOff(updateId, attempt, 'Redis unreachable');
    try {
      await next();
    } catch (error) {
      if (await this.redisUnreachable()) throw new EnqueueFailedError(`Redis unreachable while handling update ${updateId}: ${String(error)}`);
      throw error;
    }
    await this.flush(jobs.jobs, updateId);
    for (const task of jobs.tasks) await task();
  };

  /**
   * Enqueues `jobs` of update `updateId` with those of the other updates flushed in this event-loop
   * turn (one round trip). @throws EnqueueFailedError (webhook mode, or shutting down).
   */
  async flush(jobs: readonly UpdateJob[], updateId: number): Promise<void> {
    if (jobs.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.addInTurn(jobs);
        return;
      } catch (error) {
        if (!this.retryForever || error instanceof EnqueueFailedError) throw new EnqueueFailedError(`Redis did not accept update ${updateId}: ${String(error)}`);
        await this.backOff(updateId, attempt, `enqueue failed: ${String(error)}`);
      }
    }
  }

  /** Waits before try `attempt` + 1 (200 ms doubling, at most 5 s), with a warning. */
  private async backOff(updateId: number, attempt: number, why: string): Promise<void> {
    const delay = Math.min(5000, 100 * 2 ** attempt);
    this.logger.warn({ updateId, attempt, delay }, `${why}, retrying`);
    await new Promise((r) => setTimeout(r, delay));
  }

  /** Queues `jobs` for this turn's addBulk; resolves once Redis accepted them. */
  private addInTurn(jobs: readonly UpdateJob[]): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => void this.sendBatch());
      this.waiting.push({ jobs, resolve, reject });
    });
  }

  /** Sends the turn's waiting updates in one addBulk; when Redis refuses it, each update alone. */
  private async sendBatch(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      await this.addWithTimeout(batch.length === 1 ? batch[0].jobs : batch.flatMap((update) => update.jobs));
      for (const update of batch) update.resolve();
    } catch (error) {
      if (batch.length === 1 || error instanceof EnqueueFailedError || error instanceof EnqueueTimeoutError) {
        for (const update of batch) update.reject(error);
        return;
      }
      await Promise.all(batch.map((update) => this.addWithTimeout(update.jobs).then(update.resolve, update.reject)));
    }
  }

  private async addWithTimeout(jobs: readonly UpdateJob[]): Promise<void> {
    const added = await this.withTimeout(this.flows.addBulk(jobs as UpdateJob[]));
    // addBulk resolves undefined, adding nothing, once the producer is closing (shutdown).
    if (!added) throw new EnqueueFailedError('the flow producer is closing');
  }

  /** Whether the producer's Redis connection is not ready (down, reconnecting, or not connected within ENQUEUE_TIMEOUT_MS). */
  private async redisUnreachable(): Promise<boolean> {
    const client = await this.withTimeout(this.flows.client).catch(() => undefined);
    return client?.status !== 'ready';
  }

  /** `promise`, or a rejection after ENQUEUE_TIMEOUT_MS. */
  private async withTimeout<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new EnqueueTimeoutError(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
