import { OutboxCall, OutboxCallSchema, OutboxJob, QueueName } from '@kraken/contracts';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConnectionOptions, FlowChildJob, Job, JobsOptions, Queue, QueueEvents } from 'bullmq';
import { OUTBOX_JOB_OPTIONS, OutboxJobData } from './outbox-job';
import { waitForOutboxResult } from './outbox-result';

/** Options of OutboxService.enqueue. */
export interface EnqueueOptions {
  /**
   * Custom BullMQ job id: a second enqueue with the same id while the job is kept is ignored, and a
   * call Telegram already accepted under this id (sent marker, 24 h) is not sent again. BullMQ
   * forbids ":" in custom ids and all-digit ids.
   */
  jobId?: string;
  /** BullMQ priority, 1 (highest) to 2,097,152; jobs without a priority run before prioritized ones. */
  priority?: number;
  /** Do not run the call before this many ms from now. */
  delayMs?: number;
  /**
   * Makes the call a child of a running job (BullMQ's "step job" pattern): `id` is the parent's job id,
   * `queue` its fully qualified queue name (`job.queueQualifiedName`, `<prefix>:<queue>`). The parent
   * can then `moveToWaitingChildren` instead of waiting in a worker slot; Telegram's `result` lands in
   * its `getChildrenValues()`. A call that fails for good does not block the parent
   * (`ignoreDependencyOnFailure`): its reason is in the parent's `getIgnoredChildrenFailures()`.
   */
  parent?: { id: string; queue: string };
}

/** Options of OutboxService.callAndWait. */
export interface CallAndWaitOptions {
  /** How long to wait for the result, in ms; the job itself stays queued after a timeout. */
  timeoutMs: number;
  /** Stops waiting when aborted (e.g. the calling job's JobRun.signal); the call stays queued. */
  signal?: AbortSignal;
}

/**
 * Producer side of the outbox: every Bot API call Kraken makes is enqueued here and executed by the
 * outbox worker (OutboxProcessor), which keeps Telegram's limits and never drops a call.
 *
 * Params are the Bot API method's parameters (https://core.telegram.org/bots/api). Job data is JSON,
 * so files to upload are passed as `{ base64, filename }` objects (see OutboxUpload / outboxUpload()).
 * Set `chatId` and `isMessage: true` on calls that send a message, so the per-chat limits apply.
 */
@Injectable()
export class OutboxService implements OnApplicationShutdown {
  private queueEvents?: Promise<QueueEvents>;

  constructor(@InjectQueue(QueueName.Outbox) private readonly queue: Queue<OutboxJobData>) {}

  /**
   * Validates `call` and adds it to the outbox queue (job name `call`, OUTBOX_JOB_OPTIONS).
   * @returns the BullMQ job; its return value will be Telegram's `result`
   * @throws ZodError when `call` does not match OutboxCallSchema; the Redis error when the job could
   *   not be stored (nothing was enqueued then)
   */
  async enqueue(call: OutboxCall, opts: EnqueueOptions = {}): Promise<Job<OutboxJobData>> {
    const data = OutboxCallSchema.parse(call);
    const jobOptions: JobsOptions = { ...OUTBOX_JOB_OPTIONS };
    if (opts.jobId !== undefined) jobOptions.jobId = opts.jobId;
    if (opts.priority !== undefined) jobOptions.priority = opts.priority;
    if (opts.delayMs !== undefined) jobOptions.delay = opts.delayMs;
    if (opts.parent !== undefined) {
      jobOptions.parent = opts.parent;
      jobOptions.ignoreDependencyOnFailure = true;
    }
    return this.queue.add(OutboxJob.Call, data, jobOptions);
  }

  /**
   * Enqueues `call` and waits for its result (BullMQ QueueEvents + job.waitUntilFinished). Meant for
   * start-up calls such as getMe or setWebhook; request handlers should `enqueue` instead.
   * @returns Telegram's `result` for the call
   * @throws ZodError for an invalid call; Error with the job's failure reason when the call failed
   *   permanently (e.g. "setWebhook failed: 400 Bad Request: …") or ran out of attempts; Error
   *   "… timed out before finishing …" after `timeoutMs` (the job stays queued and may still run);
   *   `signal.reason` when `signal` aborted first
   */
  async callAndWait<T = unknown>(call: OutboxCall, { timeoutMs, signal }: CallAndWaitOptions): Promise<T> {
    const events = await this.events();
    const job = await this.enqueue(call);
    return waitForOutboxResult<T>(job, events, timeoutMs, signal);
  }

  /**
   * Describes an outbox job as a child of a BullMQ flow, e.g. a `member-count-snapshot` parent in the
   * stats queue whose child calls getChatMemberCount; the parent reads the child's Telegram `result`
   * with `job.getChildrenValues()`. The child uses OUTBOX_JOB_OPTIONS plus
   * `ignoreDependencyOnFailure: true`: when the call fails for good (e.g. the bot was removed from the
   * chat), the parent still runs, finds no value for this child, and can read the reason with
   * `job.getIgnoredChildrenFailures()`.
   * @param jobId optional custom job id (same rules as EnqueueOptions.jobId)
   * @throws ZodError when `call` does not match OutboxCallSchema
   */
  childJob(call: OutboxCall, jobId?: string): FlowChildJob {
    const data = OutboxCallSchema.parse(call);
    const opts: FlowChildJob['opts'] = { ...OUTBOX_JOB_OPTIONS, ignoreDependencyOnFailure: true };
    if (jobId !== undefined) opts.jobId = jobId;
    return { name: OutboxJob.Call, queueName: QueueName.Outbox, data, opts, prefix: this.queue.opts.prefix };
  }

  /**
   * Closes the QueueEvents connection opened by callAndWait, if any, at application shutdown: after
   * every beforeApplicationShutdown hook (where workers drain), so a running job still gets its result.
   */
  async onApplicationShutdown(): Promise<void> {
    const events = this.queueEvents;
    this.queueEvents = undefined;
    if (events) await (await events.catch(() => undefined))?.close();
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

/**
 * QueueEvents blocks on XREAD, so its connection must retry forever (`maxRetriesPerRequest: null`,
 * offline queue on) even when the app's BullMQ connection is a fail-fast producer one.
 */
function blockingConnection(connection: ConnectionOptions): ConnectionOptions {
  const isOptionsObject = typeof connection === 'object' && connection !== null && !('options' in connection);
  return isOptionsObject ? { ...connection, maxRetriesPerRequest: null, enableOfflineQueue: true } : connection;
}
