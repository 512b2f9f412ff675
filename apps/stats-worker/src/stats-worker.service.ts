import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { StatsWorkerEnv } from '@kraken/config';
import { QueueName, StatsJob } from '@kraken/contracts';
import { QueueWorkers } from '@kraken/queue';
import { MemberCountScheduler } from './member-count.scheduler';
import { StatsJobHandler } from './stats-job-handler';

/**
 * Starts the worker of the `stats` queue (QueueWorkers: concurrency STATS_CONCURRENCY, lock
 * STATS_LOCK_MS, so a job of a killed worker is taken over once its lock expires) with the job
 * schedulers of the daily text purge and member counts (one job per tick however many replicas
 * upsert them). At shutdown, once the worker drained, the batcher is flushed.
 */
@Injectable()
export class StatsWorkerService implements OnApplicationBootstrap {
  private readonly logger = new Logger(StatsWorkerService.name);

  constructor(
    private readonly handler: StatsJobHandler,
    private readonly memberCounts: MemberCountScheduler,
    private readonly workers: QueueWorkers,
    private readonly config: ConfigService<StatsWorkerEnv, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const tz = this.config.get('KRAKEN_TIMEZONE', { infer: true });
    const lockMs = this.config.get('STATS_LOCK_MS', { infer: true });
    await this.workers.start(QueueName.Stats, this.handler.handlers(), {
      concurrency: this.config.get('STATS_CONCURRENCY', { infer: true }),
      lockDuration: lockMs,
      stalledInterval: lockMs,
      schedules: [
        { id: 'purge-texts', pattern: this.config.get('PURGE_CRON', { infer: true }), tz, name: StatsJob.PurgeTexts },
        { id: 'member-counts', pattern: this.config.get('MEMBER_COUNT_CRON', { infer: true }), tz, name: StatsJob.SnapshotMemberCounts },
      ],
      afterDrain: async () => {
        await this.handler.batcher.drain();
        await this.memberCounts.close();
      },
    });
    this.logger.log('stats worker started');
  }
}
