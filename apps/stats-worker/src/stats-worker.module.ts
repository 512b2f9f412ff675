import { Module } from '@nestjs/common';
import { KrakenConfigModule, KrakenLoggerModule, statsWorkerEnv } from '@kraken/config';
import { PrismaModule } from '@kraken/db';
import { HealthModule } from '@kraken/health';
import { bullRootModule, OutboxModule } from '@kraken/outbox';
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
    OutboxModule.forRoot({ worker: false }),
    HealthModule.forRoot({ database: true }),
  ],
  providers: [StatsJobHandler, MemberCountScheduler, StatsWorkerService],
})
export class StatsWorkerModule {}
