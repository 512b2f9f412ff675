import { QueueName } from '@kraken/contracts';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { OUTBOX_JOB_OPTIONS } from './outbox-job';
import { QueueModule } from '@kraken/queue';
import { OutboxWorker } from './outbox-worker';
import { OutboxService } from './outbox.service';

/**
 * The outbox: registers the `outbox` queue, provides OutboxService (global, so feature modules inject
 * it without importing this module) and OutboxWorker, which runs the outbox worker in this process
 * when OUTBOX_WORKER=true (see outboxWorkerEnabled).
 *
 * Needs, in the importing app: a global ConfigService (KrakenConfigModule.forRoot) and the shared
 * BullMQ connection (`bullRootModule()` from this lib, or BullModule.forRootAsync) and HealthModule
 * (WorkerRegistry, for QueueWorkers). The worker reads
 * BOT_TOKEN, TELEGRAM_API_ROOT, REDIS_URL and OUTBOX_* from ConfigService; missing ones fail start-up
 * with a ConfigError. Import it once, in the root module.
 */
@Module({})
export class OutboxModule {
  /** Builds the module. */
  static forRoot(): DynamicModule {
    const queue = BullModule.registerQueue({ name: QueueName.Outbox, defaultJobOptions: OUTBOX_JOB_OPTIONS });
    return {
      module: OutboxModule,
      global: true,
      imports: [queue, QueueModule],
      providers: [OutboxService, OutboxWorker],
      exports: [OutboxService, queue],
    };
  }
}
