import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Worker } from 'bullmq';
import { drainWorker, type DrainResult } from './drain-worker';
import { ShutdownState } from './shutdown-state';

/** Longest readiness waits for a worker's Redis client (ms). */
const CLIENT_TIMEOUT_MS = 1000;

/**
 * The BullMQ workers of this process (registered by QueueWorkers in @kraken/queue). At shutdown (beforeApplicationShutdown,
 * before queues and database connections close) every worker is drained within what is left of
 * SHUTDOWN_GRACE_MS (drainWorker); readiness (`queue` check) is down while a worker is not running or
 * its Redis connection is not ready.
 */
@Injectable()
export class WorkerRegistry implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private readonly workers = new Set<Worker>();
  private readonly drains = new Map<Worker, Promise<DrainResult>>();

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly state: ShutdownState,
    private readonly config: ConfigService,
  ) {}

  /** Adds a worker: drained at shutdown, checked by readiness. */
  register(worker: Worker): void {
    this.workers.add(worker);
  }

  /**
   * Drains `worker` (once; later calls share the first drain) within the grace period left.
   * @returns whether its jobs finished in time and which were handed back
   */
  drain(worker: Worker): Promise<DrainResult> {
    let drain = this.drains.get(worker);
    if (!drain) {
      const graceMs = this.state.remainingMs(this.config.get<number>('SHUTDOWN_GRACE_MS') ?? 0);
      drain = drainWorker(worker, graceMs).then((result) => {
        if (result.finished) this.logger.log({ queue: worker.name }, `worker of queue ${worker.name} drained`);
        else {
          this.logger.warn({ queue: worker.name, jobIds: result.handedBack }, `grace period over: ${result.handedBack.length} running job(s) of ${worker.name} handed back to the queue`);
          if (result.ended.length) {
            this.logger.log({ queue: worker.name, jobIds: result.ended }, `${result.ended.length} job(s) of ${worker.name} finished here after their call in flight`);
          }
          if (result.inFlight.length) {
            this.logger.warn({ queue: worker.name, jobIds: result.inFlight }, `${result.inFlight.length} job(s) of ${worker.name} still had a call in flight: left locked, taken over when the lock expires`);
          }
        }
        return result;
      });
      this.drains.set(worker, drain);
    }
    return drain;
  }

  /** Drains every registered worker, in parallel, before connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.workers].map((worker) => this.drain(worker)));
  }

  /** Terminus check `queue`: up when every worker runs and its Redis connection is ready. */
  async isHealthy(key = 'queue'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const problems: string[] = [];
    for (const worker of this.workers) {
      if (!worker.isRunning() || worker.closing) {
        problems.push(`${worker.name}: not running`);
        continue;
      }
      const status = await Promise.race([
        worker.client.then((client) => client.status, () => 'error'),
        new Promise<string>((resolve) => setTimeout(() => resolve('no client'), CLIENT_TIMEOUT_MS).unref()),
      ]);
      if (status !== 'ready') problems.push(`${worker.name}: Redis connection ${status}`);
    }
    return problems.length ? indicator.down({ message: problems.join('; ') }) : indicator.up({ workers: this.workers.size });
  }
}
