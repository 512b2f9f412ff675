/**
 * @kraken/queue: the one queue foundation every app uses: the job registry (JOBS: queue → job name →
 * payload schema), typed enqueue, parseJob, and QueueWorkers.start (handler maps, start-up checks,
 * observability, graceful drain). See issue 10.
 */
export { JOBS, isRegisteredQueue, jobNamesOf, payloadSchema, type RegisteredQueue, type JobNameOf, type JobInput, type JobData } from './job-registry';
export { parseJob } from './parse-job';
export { enqueue, jobDescriptor, jobQueue, type AnyJobDescriptor, type JobDescriptor, type JobQueue } from './enqueue';
export { checkHandlers, JobHandlersError } from './check-handlers';
export { QueueWorkers, type JobContext, type JobHandler, type JobHandlers, type JobSchedule, type StartWorkerOptions } from './start-worker';
export { QueueModule } from './queue.module';
export { exitOnStartupError } from './start-up-error';
export { runWorkerApp } from './run-worker-app';
export { RedisClients, RedisClientsModule, redisClientProvider } from './redis-clients';
