import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { redisConnection, redisTarget } from '@kraken/queue';
import { ConfigService } from '@nestjs/config';
import type { StatsWorkerEnv } from '@kraken/config';
import { QueueName, StatsJob } from '@kraken/contracts';
import { WorkerRegistry } from '@kraken/health';
import { observeJob } from '@kraken/observability';
import { Job, Queue, Worker } from 'bullmq';
import { MemberCountScheduler } from './member-count.scheduler';
import { StatsJobHandler } from './stats-job-handler';

/**
 * Runs the BullMQ worker of the `stats` queue (concurrency STATS_CONCURRENCY, lock STATS_LOCK_MS: a
 * job of a killed worker is taken over once its lock expires) and upserts the job schedulers for the
 * daily text purge and member counts (one job per tick however many replicas upsert them). Each job
 * runs through observeJob (log context, metrics, Sentry). On shutdown it stops taking jobs, lets
 * running ones finish within SHUTDOWN_GRACE_MS (the rest are handed back to the queue, see
 * WorkerRegistry), then flushes the batcher.
 */
@Injectable()
export class StatsWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(StatsWorkerService.name);
  private worker: Worker | undefined;
  private queue: Queue | undefined;

  constructor(
    private readonly handler: StatsJobHandler,
    private readonly memberCounts: MemberCountScheduler,
    private readonly workers: WorkerRegistry,
    private readonly config: ConfigService<StatsWorkerEnv, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const redis = redisTarget(this.config);
    const prefix = this.config.get('QUEUE_PREFIX', { infer: true });
    const tz = this.config.get('KRAKEN_TIMEZONE', { infer: true });
    this.queue = new Queue(QueueName.Stats, { connection: redisConnection(redis, 'worker'), prefix });
    await this.queue.upsertJobScheduler('purge-texts', { pattern: this.config.get('PURGE_CRON', { infer: true }), tz }, { name: StatsJob.PurgeTexts });
    await this.queue.upsertJobScheduler(
      'member-counts',
      { pattern: this.config.get('MEMBER_COUNT_CRON', { infer: true }), tz },
      { name: StatsJob.SnapshotMemberCounts },
    );
    this.worker = new Worker(QueueName.Stats, (job, token) => observeJob(job, token, () => this.process(job)), {
      connection: redisConnection(redis, 'worker'),
      prefix,
      concurrency: this.config.get('STATS_CONCURRENCY', { infer: true }),
      lockDuration: this.config.get('STATS_LOCK_MS', { infer: true }),
      stalledInterval: this.config.get('STATS_LOCK_MS', { infer: true }),
    });
    this.worker.on('error', (error) => this.logger.error(`stats worker error: ${error.message}`));
    this.workers.register(this.worker);
    this.logger.log('stats worker started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker) await this.workers.drain(this.worker);
    await this.handler.batcher.drain();
    await this.queue?.close();
    await this.memberCounts.close();
  }

  /** Handles one job; a failure is logged (inside the job's log context) and rethrown for BullMQ. */
  private async process(job: Job): Promise<unknown> {
    try {
      return await this.handler.handle(job);
    } catch (error) {
      this.logger.warn({ attempt: job.attemptsMade + 1 }, `stats job failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }
}
