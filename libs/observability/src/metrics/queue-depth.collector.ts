import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { redisConnection, redisTarget } from '@kraken/redis';
import { ConfigService } from '@nestjs/config';
import { Queue } from 'bullmq';
import { Metrics } from './metrics';

/** Token of the queue names whose depth this process reports (ObservabilityModule's `queues`). */
export const DEPTH_QUEUES = Symbol('DEPTH_QUEUES');

/** Job states reported by `kraken_queue_jobs` (BullMQ getJobCounts names). */
const STATES = ['wait', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'paused'] as const;

/** Longest a scrape waits for Redis (ms); on timeout or error the previous values are kept. */
const COUNT_TIMEOUT_MS = 1000;

/**
 * Sets `kraken_queue_jobs{queue,state}` from Redis (BullMQ `getJobCounts`) when Prometheus scrapes.
 * Uses its own fail-fast (producer) connections, so a scrape during a Redis outage answers at once
 * with the last known values instead of hanging.
 */
@Injectable()
export class QueueDepthCollector implements OnModuleDestroy {
  private readonly logger = new Logger(QueueDepthCollector.name);
  private readonly queues: Queue[];

  /** @param names queues whose depth to report; REDIS_URL and QUEUE_PREFIX come from `config` */
  constructor(@Inject(DEPTH_QUEUES) names: string[], config: ConfigService) {
    const connection = redisConnection(redisTarget(config), 'producer');
    const prefix = config.getOrThrow<string>('QUEUE_PREFIX');
    this.queues = names.map((name) => {
      const queue = new Queue(name, { connection, prefix });
      queue.on('error', () => undefined); // a scrape reports Redis errors as stale values, not as crashes
      return queue;
    });
  }

  /** Reads every queue's counts into the gauge; resolves even when Redis does not answer. */
  async refresh(): Promise<void> {
    await Promise.all(
      this.queues.map(async (queue) => {
        try {
          const counts = await withTimeout(queue.getJobCounts(...STATES), COUNT_TIMEOUT_MS);
          for (const state of STATES) Metrics.queueJobs.set({ queue: queue.name, state }, counts[state] ?? 0);
        } catch (error) {
          this.logger.debug(`queue ${queue.name} depth not read: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
  }

  /** Closes the collector's Redis connections. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close().catch(() => undefined)));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
