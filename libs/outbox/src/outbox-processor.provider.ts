import { QueueName } from '@kraken/contracts';
import { getQueueToken, Processor } from '@nestjs/bullmq';
import type { FactoryProvider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Queue, WorkerOptions } from 'bullmq';
import { outboxBackoffStrategy } from './outbox-job';
import { OutboxProcessor } from './outbox.processor';
import { OutboxWorkerSettings, readOutboxWorkerSettings } from './outbox-settings';

/**
 * Times a job may stall (its worker died or lost its lock) before BullMQ fails it. Higher than
 * BullMQ's default of 1 because a re-run is safe (sent markers) and a dropped message is worse.
 */
export const OUTBOX_MAX_STALLED_COUNT = 5;

/** BullMQ worker options of the outbox worker, from configuration. */
export function outboxWorkerOptions(settings: OutboxWorkerSettings): Omit<WorkerOptions, 'connection'> {
  return {
    concurrency: settings.concurrency,
    limiter: { max: settings.globalPerSecond, duration: 1000 },
    maxStalledCount: OUTBOX_MAX_STALLED_COUNT,
    settings: { backoffStrategy: outboxBackoffStrategy },
  };
}

/**
 * Provides OutboxProcessor with worker options read from ConfigService at start-up. @nestjs/bullmq
 * takes worker options only from the `@Processor()` decorator, so the factory applies the decorator,
 * with the configured concurrency and limiter, to a subclass it creates; the BullMQ explorer reads
 * that metadata from the instance's class when it starts the worker.
 * @throws ConfigError (at start-up) when BOT_TOKEN or another setting is missing or invalid
 */
export const outboxProcessorProvider: FactoryProvider<OutboxProcessor> = {
  provide: OutboxProcessor,
  inject: [ConfigService, getQueueToken(QueueName.Outbox)],
  useFactory: (config: ConfigService, queue: Queue) => {
    const settings = readOutboxWorkerSettings(config);
    class ConfiguredOutboxProcessor extends OutboxProcessor {}
    Processor(QueueName.Outbox, outboxWorkerOptions(settings))(ConfiguredOutboxProcessor);
    return new ConfiguredOutboxProcessor(settings, queue);
  },
};
