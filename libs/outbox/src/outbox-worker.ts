import { OutboxJob, QueueName } from '@kraken/contracts';
import { QueueWorkers } from '@kraken/queue';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Queue, WorkerOptions } from 'bullmq';
import { outboxBackoffStrategy } from './outbox-job';
import { OutboxProcessor } from './outbox.processor';
import { outboxWorkerEnabled, readOutboxWorkerSettings, type OutboxWorkerSettings } from './outbox-settings';

/**
 * Times a job may stall (its worker died or lost its lock) before BullMQ fails it. Higher than
 * BullMQ's default of 1 because a re-run is safe (sent markers) and a dropped message is worse.
 */
export const OUTBOX_MAX_STALLED_COUNT = 5;

/** BullMQ worker options of the outbox worker, from configuration. */
export function outboxWorkerOptions(settings: OutboxWorkerSettings): Omit<WorkerOptions, 'connection' | 'prefix' | 'autorun'> {
  return {
    concurrency: settings.concurrency,
    limiter: { max: settings.globalPerSecond, duration: 1000 },
    maxStalledCount: OUTBOX_MAX_STALLED_COUNT,
    settings: { backoffStrategy: outboxBackoffStrategy },
  };
}

/**
 * Runs the outbox worker (OutboxProcessor through QueueWorkers) in this process when OUTBOX_WORKER is
 * true (the gateway's default; false elsewhere), so any app, or an app of its own, can carry the
 * Bot API calls and the gateway can be scaled for ingest alone. The worker starts at module init, so
 * that onApplicationBootstrap hooks may wait for Bot API calls (e.g. the gateway's getMe at start-up).
 * @throws ConfigError at start-up when OUTBOX_WORKER=true and BOT_TOKEN or an OUTBOX_* setting is missing or invalid
 */
@Injectable()
export class OutboxWorker implements OnModuleInit {
  constructor(
    private readonly config: ConfigService,
    private readonly workers: QueueWorkers,
    @InjectQueue(QueueName.Outbox) private readonly queue: Queue,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!outboxWorkerEnabled(this.config)) return;
    const settings = readOutboxWorkerSettings(this.config);
    const processor = new OutboxProcessor(settings, this.queue);
    await this.workers.start(
      QueueName.Outbox,
      { [OutboxJob.Call]: (_call, { job, token, run }) => processor.process(job, token, run) },
      { ...outboxWorkerOptions(settings), afterDrain: () => processor.close() },
    );
  }
}
