export * from './health.module';
export * from './health.controller';
export * from './redis.health';
export * from './prisma.health';
export { ShutdownState } from './shutdown/shutdown-state';
export { WorkerRegistry } from './shutdown/worker-registry';
export { drainWorker, type DrainResult } from './shutdown/drain-worker';
export { installGracefulShutdown, type GracefulShutdownOptions } from './shutdown/graceful-shutdown';
