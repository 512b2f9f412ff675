import { OutboxCall, OutboxCallSchema, OutboxJob, QueueName } from '@kraken/contracts';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConnectionOptions, FlowChildJob, Job, JobsOptions, Queue, QueueEvents } from 'bullmq';
import { enqueue, jobDescriptor, jobQueue, type JobQueue } from '@kraken/queue';
import { OUTBOX_JOB_OPTIONS, OutboxJobData } from './outbox-job';
import { OutboxCallFailedError } from './outbox-call-failed.error';

/** How long OutboxService.call waits for Telegram's result by default, in ms (limits and 429 back-offs included). */
export const DEFAULT_CALL_TIMEOUT_MS = 10 * 60_000;

/** Options of OutboxService.send. */
export interface SendOptions {
  /**
   * Makes the call a child of a running job (BullMQ's "step job" pattern): `id` is the parent's job id,
   * `queue` its fully qualified queue name (`job.queueQualifiedName`, `<prefix>:<queue>`). The parent
   * can then `moveToWaitingChildren` instead of waiting in a worker slot; Telegram's `result` lands in
   * its `getChildrenValues()`. A call that fails for good does not block the parent
   * (`ignoreDependencyOnFailure`): its reason is in the parent's `getIgnoredChildrenFailures()`
   * (OutboxCallFailedError.fromFailedReason reads it).
   */
  parent?: { id: string; queue: string };
}

/** Options of OutboxService.call. */
export interface CallOptions {
  /**
   * Custom job id, so that a retried caller re-attaches to the same call instead of sending it again
   * (see OutboxService.send). Without one, every call is a new job.
   */
  jobId?: string;
  /** How long to wait for the result, in ms (default DEFAULT_CALL_TIMEOUT_MS); the job stays queued after it. */
  timeoutMs?: number;
  /** Stops waiting when aborted (e.g. the calling job's JobRun.signal); the call stays queued. */
  signal?: AbortSignal;
}

/**
 * Producer side of the outbox: every Bot API call Kraken makes is enqueued here and executed by the
 * outbox worker (OutboxProcessor), which keeps Telegram's limits and never drops a call. Two ways in:
 * `send` (fire and forget, under an idempotency key) and `call` (wait for Telegram's result).
 *
 * Params are the Bot API method's parameters (https://core.telegram.org/bots/api). Job data is JSON,
 * so files to upload are passed as `{ base64, filename }` objects (see OutboxUpload / outboxUpload()).
 * Set `chatId` and `isMessage: true` on calls that send a message, so the per-chat limits apply.
 */
@Injectable()
export class OutboxService implements OnApplicationShutdown {
  private queueEvents?: Promise<QueueEvents>;
  /** Aborted at application shutdown: every call still waiting stops (its job stays queued). */
  private readonly closing = new AbortController();

  private readonly queue: JobQueue<typeof QueueName.Outbox>;

  constructor(@InjectQueue(QueueName.Outbox) queue: Queue) {
    this.queue = jobQueue(queue, QueueName.Outbox);
  }

  /**
   * Validates `call` and adds it to the outbox queue under job id `jobId` (job name `call`,
   * OUTBOX_JOB_OPTIONS), without waiting for Telegram. The id makes the call idempotent: a second
   * send under the same id while the job is kept (a day once completed, a week once failed) is
   * ignored, and a call Telegram already accepted under it (sent marker, 24 h) is not sent again, so
   * a retried caller never sends twice. BullMQ forbids ":" in custom ids and all-digit ids.
   * @returns the BullMQ job; its return value will be Telegram's `result`
   * @throws ZodError when `call` does not match OutboxCallSchema; the Redis error when the job could
   *   not be stored (nothing was enqueued then)
   */
  async send(call: OutboxCall, jobId: string, options: SendOptions = {}): Promise<Job<OutboxJobData>> {
    return this.add(call, jobId, options.parent);
  }

  /**
   * Enqueues `call` (under `options.jobId` when given) and waits for Telegram's result through this
   * service's one QueueEvents (BullMQ `job.waitUntilFinished`). A call under a job id that already
   * finished answers at once (its stored result or failure). When the call failed for good and has a
   * custom job id, its job is removed from the failed set before the error is thrown, so a retried
   * caller under the same id really tries again (Telegram never accepted it, so nothing is sent twice).
   * @returns Telegram's `result` for the call
   * @throws ZodError for an invalid call
   * @throws OutboxCallFailedError when Telegram refused the call (4xx other than 401/429), with its
   *   method, error code, description and retry_after
   * @throws Error "<method> failed: <reason>" when the job failed otherwise (network errors or 5xx
   *   until its attempts ran out, a job removed meanwhile)
   * @throws Error "… timed out before finishing …" after `timeoutMs`; the abort reason when
   *   `options.signal` aborted or the application shut down first. In these cases the job stays
   *   queued and may still run; a caller retrying under the same job id re-attaches to it.
   */
  async call<T = unknown>(call: OutboxCall, options: CallOptions = {}): Promise<T> {
    const { jobId, timeoutMs = DEFAULT_CALL_TIMEOUT_MS, signal } = options;
    const stops = signal ? [this.closing.signal, signal] : [this.closing.signal];
    for (const stop of stops) stop.throwIfAborted();
    const events = await this.events();
    const job = await this.add(call, jobId);
    try {
      return await untilAborted(job.waitUntilFinished(events, timeoutMs) as Promise<T>, stops);
    } catch (error) {
      if (stops.some((stop) => stop.aborted) || !(await job.isFailed().catch(() => false))) throw error;
      if (jobId !== undefined) await job.remove().catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw OutboxCallFailedError.fromFailedReason(reason) ?? new Error(`${call.method} failed: ${reason}`);
    }
  }

  /**
   * Describes an outbox job as a child of a BullMQ flow, e.g. a `member-count-snapshot` parent in the
   * stats queue whose child calls getChatMemberCount; the parent reads the child's Telegram `result`
   * with `job.getChildrenValues()`. The child uses OUTBOX_JOB_OPTIONS plus
   * `ignoreDependencyOnFailure: true`: when the call fails for good (e.g. the bot was removed from the
   * chat), the parent still runs, finds no value for this child, and can read the reason with
   * `job.getIgnoredChildrenFailures()`.
   * @param jobId optional custom job id (same rules as in OutboxService.send)
   * @throws ZodError when `call` does not match OutboxCallSchema
   */
  childJob(call: OutboxCall, jobId?: string): FlowChildJob {
    const data = OutboxCallSchema.parse(call);
    const opts: FlowChildJob['opts'] = { ...OUTBOX_JOB_OPTIONS, ignoreDependencyOnFailure: true };
    if (jobId !== undefined) opts.jobId = jobId;
    return { ...jobDescriptor(QueueName.Outbox, OutboxJob.Call, data, opts), prefix: this.queue.opts.prefix };
  }

  /**
   * At application shutdown, after every beforeApplicationShutdown hook (where the app's workers
   * drained, so a running job got its calls' results): stops the calls still waiting (their jobs stay
   * queued) and closes the QueueEvents connection, if one was opened.
   */
  async onApplicationShutdown(): Promise<void> {
    this.closing.abort(new Error('the application is shutting down: the outbox call stays queued'));
    const events = this.queueEvents;
    this.queueEvents = undefined;
    if (events) await (await events.catch(() => undefined))?.close();
  }

  private add(call: OutboxCall, jobId: string | undefined, parent?: SendOptions['parent']): Promise<Job<OutboxJobData>> {
    const data = OutboxCallSchema.parse(call);
    const jobOptions: JobsOptions = { ...OUTBOX_JOB_OPTIONS };
    if (jobId !== undefined) jobOptions.jobId = jobId;
    if (parent !== undefined) {
      jobOptions.parent = parent;
      jobOptions.ignoreDependencyOnFailure = true;
    }
    return enqueue(this.queue, OutboxJob.Call, data, jobOptions) as Promise<Job<OutboxJobData>>;
  }

  /** One QueueEvents per service, created on first use and ready before any job is added. */
  private events(): Promise<QueueEvents> {
    this.queueEvents ??= (async () => {
      const events = new QueueEvents(QueueName.Outbox, {
        connection: blockingConnection(this.queue.opts.connection),
        prefix: this.queue.opts.prefix,
      });
      await events.waitUntilReady();
      return events;
    })().catch((error: unknown) => {
      this.queueEvents = undefined;
      throw error;
    });
    return this.queueEvents;
  }
}

/** Settles as `promise` does, or rejects with the reason of the first of `signals` to abort. */
function untilAborted<T>(promise: Promise<T>, signals: AbortSignal[]): Promise<T> {
  promise.catch(() => undefined); // a rejection after an abort is nobody's concern
  let detach = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = (event: Event): void => reject((event.target as AbortSignal).reason);
    for (const signal of signals) signal.addEventListener('abort', onAbort, { once: true });
    detach = () => signals.forEach((signal) => signal.removeEventListener('abort', onAbort));
  });
  return Promise.race([promise, aborted]).finally(detach);
}

/**
 * QueueEvents blocks on XREAD, so its connection must retry forever (`maxRetriesPerRequest: null`,
 * offline queue on) even when the app's BullMQ connection is a fail-fast producer one.
 */
function blockingConnection(connection: ConnectionOptions): ConnectionOptions {
  const isOptionsObject = typeof connection === 'object' && connection !== null && !('options' in connection);
  return isOptionsObject ? { ...connection, maxRetriesPerRequest: null, enableOfflineQueue: true } : connection;
}
