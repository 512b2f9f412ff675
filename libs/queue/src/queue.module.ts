import { Module } from '@nestjs/common';
import { QueueWorkers } from './start-worker';

/**
 * Provides QueueWorkers (one per process, however many modules import this one). Needs the global
 * ConfigService (REDIS_URL, QUEUE_PREFIX, SHUTDOWN_GRACE_MS) and HealthModule (WorkerRegistry).
 */
@Module({ providers: [QueueWorkers], exports: [QueueWorkers] })
export class QueueModule {}
