import { QueueName } from '@kraken/contracts';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { OUTBOX_JOB_OPTIONS } from './outbox-job';
import { outboxProcessorProvider } from './outbox-processor.provider';
import { OutboxService } from './outbox.service';

/** Options of OutboxModule.forRoot. */
export interface OutboxModuleOptions {
  /** Run the outbox worker (OutboxProcessor) in this process; false for producer-only apps. */
  worker: boolean;
}

/**
 * The outbox: registers the `outbox` queue, provides OutboxService (global, so feature modules inject
 * it without importing this module) and, with `worker: true`, the OutboxProcessor.
 *
 * Needs, in the importing app: a global ConfigService (KrakenConfigModule.forRoot) and the shared
 * BullMQ connection (`bullRootModule()` from this lib, or BullModule.forRootAsync). The worker reads
 * BOT_TOKEN, TELEGRAM_API_ROOT, REDIS_URL and OUTBOX_* from ConfigService; missing ones fail start-up
 * with a ConfigError. Import it once, in the root module.
 */
@Module({})
export class OutboxModule {
  /** Builds the module; see OutboxModuleOptions. */
  static forRoot(options: OutboxModuleOptions): DynamicModule {
    const queue = BullModule.registerQueue({ name: QueueName.Outbox, defaultJobOptions: OUTBOX_JOB_OPTIONS });
    return {
      module: OutboxModule,
      global: true,
      imports: [queue],
      providers: [OutboxService, ...(options.worker ? [outboxProcessorProvider] : [])],
      exports: [OutboxService, queue],
    };
  }
}
