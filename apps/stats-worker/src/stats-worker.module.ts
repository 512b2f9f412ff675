import { Module } from '@nestjs/common';
import { KrakenConfigModule, KrakenLoggerModule, statsWorkerEnv } from '@kraken/config';
import { QueueName } from '@kraken/contracts';
import { PrismaModule } from '@kraken/db';
import { HealthModule } from '@kraken/health';
import { ObservabilityModule } from '@kraken/observability';
import { bullRootModule, OutboxModule } from '@kraken/outbox';
import { QueueModule } from '@kraken/queue';
import { MemberCountScheduler } from './member-count.scheduler';
import { StatsJobHandler } from './stats-job-handler';
import { StatsWorkerService } from './stats-worker.service';

/** The stats worker: consumes the `stats` queue into PostgreSQL and runs the stats schedules. */
@Module({
  imports: [
    KrakenConfigModule.forRoot(statsWorkerEnv),
    KrakenLoggerModule.forRoot(),
    PrismaModule,
    bullRootModule(),
    OutboxModule.forRoot(),
    QueueModule,
    HealthModule.forRoot({ database: true }),
    ObservabilityModule.forRoot({ app: 'stats-worker', queues: [QueueName.Stats] }),
  ],
  providers: [StatsJobHandler, MemberCountScheduler, StatsWorkerService],
})
export class StatsWorkerModule {}
