import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { StatsWorkerEnv } from '@kraken/config';
import { QueueName, redisConnection, StatsJob } from '@kraken/contracts';
import { Queue, Worker } from 'bullmq';
import { MemberCountScheduler } from './member-count.scheduler';
import { StatsJobHandler } from './stats-job-handler';

/**
 * Runs the BullMQ worker of the `stats` queue (concurrency STATS_CONCURRENCY, lock STATS_LOCK_MS: a
 * job of a killed worker is taken over once its lock expires) and upserts the job schedulers for the
 * daily text purge and member counts (one job per tick however many replicas upsert them). On
 * shutdown it stops taking jobs, lets running ones finish and flushes the batcher.
 */
@Injectable()
export class StatsWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(StatsWorkerService.name);
  private worker: Worker | undefined;
  private queue: Queue | undefined;

  constructor(
    private readonly handler: StatsJobHandler,
    private readonly memberCounts: MemberCountScheduler,
    private readonly config: ConfigService<StatsWorkerEnv, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const url = this.config.get('REDIS_URL', { infer: true });
    const prefix = this.config.get('QUEUE_PREFIX', { infer: true });
    const tz = this.config.get('KRAKEN_TIMEZONE', { infer: true });
    this.queue = new Queue(QueueName.Stats, { connection: redisConnection(url, 'worker'), prefix });
    await this.queue.upsertJobScheduler('purge-texts', { pattern: this.config.get('PURGE_CRON', { infer: true }), tz }, { name: StatsJob.PurgeTexts });
    await this.queue.upsertJobScheduler(
      'member-counts',
      { pattern: this.config.get('MEMBER_COUNT_CRON', { infer: true }), tz },
      { name: StatsJob.SnapshotMemberCounts },
    );
    this.worker = new Worker(QueueName.Stats, (job) => this.handler.handle(job), {
      connection: redisConnection(url, 'worker'),
      prefix,
      concurrency: this.config.get('STATS_CONCURRENCY', { infer: true }),
      lockDuration: this.config.get('STATS_LOCK_MS', { infer: true }),
      stalledInterval: this.config.get('STATS_LOCK_MS', { infer: true }),
    });
    this.worker.on('failed', (job, error) =>
      this.logger.warn({ jobId: job?.id, job: job?.name, attempts: job?.attemptsMade }, `stats job failed: ${error.message}`),
    );
    this.worker.on('error', (error) => this.logger.error(`stats worker error: ${error.message}`));
    this.logger.log('stats worker started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.handler.batcher.drain();
    await this.queue?.close();
    await this.memberCounts.close();
  }
}
