import { redisConnection, redisTarget } from '@kraken/redis';
import { WorkerRegistry } from '@kraken/health';
import { observeJob, type JobRun } from '@kraken/observability';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Queue, Worker, type Job, type WorkerOptions } from 'bullmq';
import { checkHandlers } from './check-handlers';
import type { JobData, JobInput, JobNameOf, RegisteredQueue } from './job-registry';
import { parseJob } from './parse-job';

/** BullMQ's message of Worker.RateLimitError (a job given back because the queue is rate-limited). */
const RATE_LIMIT_ERROR = 'bullmq:rateLimitExceeded';
/** Errors a processor throws to park its job, not because it failed (see BullMQ's Worker). */
const NOT_FAILURES = new Set(['DelayedError', 'WaitingChildrenError', 'WaitingError']);

/** What a handler gets besides the validated payload. */
export interface JobContext<D> {
  job: Job<D>;
  /** The job's lock token (for moveToDelayed, moveToWaitingChildren …). */
  token: string;
  /** Abort signal of a hand-back at shutdown, and withoutHandBack for calls that must not run twice. */
  run: JobRun;
}

/** Handles one job: `data` is the payload validated by parseJob. Resolves with the job's return value. */
export type JobHandler<D> = (data: D, context: JobContext<D>) => Promise<unknown>;

/** A worker's handler map: exactly one handler per job its queue carries (checked at start-up too). */
export type JobHandlers<Q extends RegisteredQueue> = { [N in JobNameOf<Q>]: JobHandler<JobData<Q, N>> };

/** A BullMQ job scheduler the worker's queue keeps (upserted at start-up; one per id however many replicas). */
export interface JobSchedule<Q extends RegisteredQueue> {
  /** Scheduler id, e.g. `purge-texts`. */
  id: string;
  /** Cron pattern with seconds, e.g. `0 30 3 * * *`. */
  pattern: string;
  /** IANA time zone of the pattern. */
  tz: string;
  name: JobNameOf<Q>;
  data?: JobInput<Q, JobNameOf<Q>>;
}

/** Options of startWorker: BullMQ's worker options (connection and prefix come from the configuration) and extras. */
export interface StartWorkerOptions<Q extends RegisteredQueue> extends Omit<WorkerOptions, 'connection' | 'prefix' | 'autorun'> {
  /** Job schedulers to upsert before the worker starts. */
  schedules?: JobSchedule<Q>[];
  /** Runs once the worker drained at shutdown, before connections close (e.g. flush a write batcher). */
  afterDrain?: () => Promise<void>;
}

interface Started {
  worker: Worker;
  /** The queue handle that upserted the job schedulers, if any. */
  schedulers?: Queue;
  afterDrain?: () => Promise<void>;
}

/**
 * Runs the BullMQ workers of a Kraken app, one way for every app (provided by QueueModule):
 * - `start(queue, handlers, options)` checks the handler map against the job registry (a missing
 *   handler, one for an unknown job, or a second worker of the same queue throws JobHandlersError at
 *   start-up), upserts the queue's job schedulers, and starts a worker on REDIS_URL / QUEUE_PREFIX;
 * - each job runs through observeJob (log context, metrics, Sentry, hand-back tracking), its payload
 *   is validated by parseJob (an invalid one fails at once, UnrecoverableError) and dispatched to the
 *   handler of its name; a failure is logged at warn in the job's log context and rethrown for BullMQ;
 * - the worker is registered with WorkerRegistry (readiness) and, at shutdown
 *   (beforeApplicationShutdown, before queues and database connections close), drained within
 *   SHUTDOWN_GRACE_MS (running jobs finish or are handed back), then `afterDrain` runs and the
 *   scheduler queue closes.
 * Call `start` from an app service's `onApplicationBootstrap` (or `onModuleInit` when other bootstrap hooks wait for the worker's jobs).
 */
@Injectable()
export class QueueWorkers implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Worker');
  /** Queues whose worker this process started (or is starting). */
  private readonly claimed = new Set<string>();
  private readonly started: Started[] = [];

  constructor(
    private readonly registry: WorkerRegistry,
    private readonly config: ConfigService,
  ) {}

  /**
   * Starts the worker of `queue`.
   * @returns the running BullMQ worker
   * @throws JobHandlersError when `handlers` does not match the registry or the queue already has a worker here
   * @throws the Redis error when a job scheduler cannot be upserted
   */
  async start<Q extends RegisteredQueue>(queue: Q, handlers: JobHandlers<Q>, options: StartWorkerOptions<Q>): Promise<Worker> {
    checkHandlers(queue, handlers, this.claimed);
    this.claimed.add(queue);
    const { schedules = [], afterDrain, ...workerOptions } = options;
    const connection = redisConnection(redisTarget(this.config), 'worker');
    const prefix = this.config.getOrThrow<string>('QUEUE_PREFIX');
    const schedulers = schedules.length ? new Queue(queue, { connection, prefix }) : undefined;
    if (schedulers) await upsertSchedules(schedulers, schedules);
    const dispatch = handlers as unknown as Record<string, JobHandler<unknown>>;
    const worker = new Worker(queue, (job: Job, token?: string) => observeJob(job, token, (run) => this.run(dispatch, job, token, run)), {
      ...workerOptions,
      connection,
      prefix,
    });
    worker.on('error', (error) => this.logger.error({ queue }, `${queue} worker error: ${error.message}`));
    this.registry.register(worker);
    this.started.push({ worker, schedulers, afterDrain });
    this.logger.log({ queue, concurrency: workerOptions.concurrency ?? 1 }, `worker of queue ${queue} started`);
    return worker;
  }

  /** Drains every worker started here (within the grace period left), then runs each one's afterDrain. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.started.map(async ({ worker, schedulers, afterDrain }) => {
        await this.registry.drain(worker);
        await afterDrain?.();
        await schedulers?.close();
      }),
    );
  }

  private async run(handlers: Record<string, JobHandler<unknown>>, job: Job, token: string | undefined, run: JobRun): Promise<unknown> {
    try {
      const data = parseJob(job);
      const handler = handlers[job.name] as JobHandler<unknown>; // parseJob threw for a job the registry lacks
      return await handler(data, { job, token: token ?? '', run });
    } catch (error) {
      if (error instanceof Error && !NOT_FAILURES.has(error.name) && error.message !== RATE_LIMIT_ERROR) {
        this.logger.warn({ attempt: job.attemptsMade + 1 }, `${job.queueName} job failed: ${error.message}`);
      }
      throw error;
    }
  }
}

/** Upserts `schedules` through `queue`; closes `queue` and rethrows when Redis refuses one. */
async function upsertSchedules<Q extends RegisteredQueue>(queue: Queue, schedules: JobSchedule<Q>[]): Promise<void> {
  try {
    for (const schedule of schedules) {
      await queue.upsertJobScheduler(schedule.id, { pattern: schedule.pattern, tz: schedule.tz }, { name: schedule.name, data: schedule.data ?? {} });
    }
  } catch (error) {
    await queue.close();
    throw error;
  }
}
