import type { AnyJobDescriptor, JobInput, JobNameOf, RegisteredQueue } from '@kraken/queue';
import type { JobsOptions } from 'bullmq';
import type { Context } from 'telegraf';

/** Options of an update's job: BullMQ's, with the job id the update derives (`tg-<update_id>` …). */
type UpdateJobOptions = JobsOptions & { jobId: string };

/**
 * One job an update produces: the queue it goes to, its job name, payload (typed by the job registry,
 * JOBS in @kraken/queue) and options (with its id).
 */
export type UpdateJob = AnyJobDescriptor<UpdateJobOptions>;

/**
 * The jobs the Telegraf handlers decided on for one update, and what must wait until they are in
 * Redis. Handlers only collect (`add`); UpdateJobsFlusher's middleware puts them all in Redis in one
 * round trip once the whole handler chain has run, so an update's jobs are enqueued all or none.
 */
export class UpdateJobs {
  private readonly collected: UpdateJob[] = [];
  private readonly afterwards: Array<() => Promise<void>> = [];

  /**
   * Adds a job to enqueue at the end of the chain (BullMQ's `queue.add` arguments, by queue name); the
   * compiler checks that `queueName` carries job `name` and that `data` matches its payload schema.
   */
  add<Q extends RegisteredQueue, N extends JobNameOf<Q>>(queueName: Q, name: N, data: JobInput<Q, N>, opts: UpdateJobOptions): void {
    this.collected.push({ queueName, name, data, opts } as UpdateJob);
  }

  /** Runs `task` once the jobs are in Redis (in the order given; not run when enqueueing failed). */
  afterEnqueue(task: () => Promise<void>): void {
    this.afterwards.push(task);
  }

  /** The jobs collected so far, in the order they were added. */
  get jobs(): readonly UpdateJob[] {
    return this.collected;
  }

  /** The tasks waiting for the jobs to be in Redis. */
  get tasks(): ReadonlyArray<() => Promise<void>> {
    return this.afterwards;
  }
}

const JOBS = Symbol('updateJobs');

/** Puts a fresh collector in the update's context state (UpdateJobsFlusher's middleware). */
export function startUpdateJobs(ctx: Context): UpdateJobs {
  const jobs = new UpdateJobs();
  (ctx.state as Record<symbol, unknown>)[JOBS] = jobs;
  return jobs;
}

/**
 * The collector of the update `ctx` carries.
 * @throws Error when the chain runs without UpdateJobsFlusher's middleware (a wiring mistake)
 */
export function updateJobsOf(ctx: Context): UpdateJobs {
  const jobs = (ctx.state as Record<symbol, unknown>)[JOBS];
  if (!(jobs instanceof UpdateJobs)) throw new Error('no UpdateJobs in the update context: is UpdateJobsFlusher.middleware installed?');
  return jobs;
}
