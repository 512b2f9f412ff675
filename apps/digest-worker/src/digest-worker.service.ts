import { DigestJob, DigestQueueName, MemeJob, redisConnection } from '@kraken/contracts';
import { WorkerRegistry } from '@kraken/health';
import { observeJob } from '@kraken/observability';
import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import { DigestJobHandler } from './digest/digest-job.handler';
import type { DigestWorkerEnv } from './digest-worker.env';
import { MemeDecisionHandler } from './memes/meme-decision.handler';
import { MemeSubmissionHandler } from './memes/meme-submission.handler';

/** Job scheduler id of the monthly digest (one scheduler however many workers upsert it). */
export const MONTHLY_SCHEDULER_ID = 'monthly-digest';
/** Digest jobs one worker runs at once (they wait on the LLM and the outbox, not on the CPU). */
const DIGEST_CONCURRENCY = 2;
/** Times a job may stall (its worker died) before BullMQ fails it; re-runs are safe by design. */
const MAX_STALLED = 3;

/**
 * Runs the digest-worker's BullMQ workers: `memes` (submissions and decisions, MEME_WORKER_CONCURRENCY
 * at once) and `digest` (ticks, publishing, commands), with DIGEST_LOCK_MS locks so a job of a killed
 * worker is taken over by another after that long. Upserts the `monthly-digest` job scheduler
 * (DIGEST_CRON in KRAKEN_TIMEZONE). Each job runs through observeJob (log context, metrics, Sentry).
 * On shutdown the workers stop taking jobs and drain within SHUTDOWN_GRACE_MS (WorkerRegistry).
 */
@Injectable()
export class DigestWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DigestWorkerService.name);
  private readonly workers: Worker[] = [];

  constructor(
    @InjectQueue(DigestQueueName.Digest) private readonly digestQueue: Queue,
    private readonly submissions: MemeSubmissionHandler,
    private readonly decisions: MemeDecisionHandler,
    private readonly digests: DigestJobHandler,
    private readonly registry: WorkerRegistry,
    private readonly config: ConfigService<DigestWorkerEnv, true>,
  ) {}

  /** Upserts the monthly scheduler and starts both workers. */
  async onApplicationBootstrap(): Promise<void> {
    await this.digestQueue.upsertJobScheduler(
      MONTHLY_SCHEDULER_ID,
      { pattern: this.config.get('DIGEST_CRON', { infer: true }), tz: this.config.get('KRAKEN_TIMEZONE', { infer: true }) },
      { name: DigestJob.Monthly, data: {} },
    );
    const lockDuration = this.config.get('DIGEST_LOCK_MS', { infer: true });
    const common = {
      connection: redisConnection(this.config.get('REDIS_URL', { infer: true }), 'worker'),
      prefix: this.config.get('QUEUE_PREFIX', { infer: true }),
      lockDuration,
      stalledInterval: lockDuration,
      maxStalledCount: MAX_STALLED,
    };
    this.workers.push(
      new Worker(DigestQueueName.Memes, (job, token) => observeJob(job, token, () => this.meme(job)), {
        ...common,
        concurrency: this.config.get('MEME_WORKER_CONCURRENCY', { infer: true }),
      }),
      new Worker(DigestQueueName.Digest, (job, token) => observeJob(job, token, (run) => this.digests.handle(job, run.signal)), { ...common, concurrency: DIGEST_CONCURRENCY }),
    );
    for (const worker of this.workers) {
      worker.on('failed', (job, error) => this.logger.warn({ jobId: job?.id, job: job?.name, attempts: job?.attemptsMade }, `${worker.name} job failed: ${error.message}`));
      worker.on('error', (error) => this.logger.error(`${worker.name} worker error: ${error.message}`));
      this.registry.register(worker);
    }
    this.logger.log({ pid: process.pid }, 'digest worker started');
  }

  /** Drains both workers (running jobs finish or are handed back). */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => this.registry.drain(worker)));
  }

  private meme(job: Job): Promise<unknown> {
    if (job.name === MemeJob.Submit) return this.submissions.handle(job);
    if (job.name === MemeJob.Decide) return this.decisions.handle(job);
    throw new UnrecoverableError(`unknown memes job "${job.name}"`);
  }
}
