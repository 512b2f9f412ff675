import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { QueueName, StatsJob, statsJobOptions, updateJobId } from '@kraken/contracts';
import type { Queue } from 'bullmq';
import type { GatewayEnv } from '@kraken/config';

/** Thrown when Redis did not accept a job in time; the webhook answers 503 so Telegram redelivers. */
export class EnqueueFailedError extends Error {
  override name = 'EnqueueFailedError';
}

/**
 * Puts classified updates on the `stats` queue with job id `tg-<update_id>`, so a redelivered update is
 * not enqueued twice while its job is kept. A job carrying a message text is deleted once its fact is in
 * PostgreSQL (statsJobOptions), so texts never linger in Redis. Resolves only after Redis accepted the job. In webhook mode a failure throws
 * EnqueueFailedError after ENQUEUE_TIMEOUT_MS; in polling mode it retries with back-off (up to 5 s
 * between tries) until Redis is back, which pauses polling instead of losing the update.
 */
@Injectable()
export class UpdateEnqueuer {
  private readonly logger = new Logger(UpdateEnqueuer.name);
  private readonly timeoutMs: number;
  private readonly retryForever: boolean;

  constructor(
    @InjectQueue(QueueName.Stats) private readonly stats: Queue,
    config: ConfigService<GatewayEnv, true>,
  ) {
    this.timeoutMs = config.get('ENQUEUE_TIMEOUT_MS', { infer: true });
    this.retryForever = config.get('TELEGRAM_MODE', { infer: true }) === 'polling';
  }

  /** Enqueues one stats job for update `updateId`. @throws EnqueueFailedError (webhook mode). */
  async enqueue(name: StatsJob, data: object, updateId: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.addWithTimeout(name, data, updateId);
        return;
      } catch (error) {
        if (!this.retryForever) throw new EnqueueFailedError(`Redis did not accept update ${updateId}: ${String(error)}`);
        const delay = Math.min(5000, 100 * 2 ** attempt);
        this.logger.warn({ updateId, attempt, delay }, `enqueue failed, retrying: ${String(error)}`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async addWithTimeout(name: StatsJob, data: object, updateId: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([this.stats.add(name, data, { ...statsJobOptions(data), jobId: updateJobId(updateId) }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
