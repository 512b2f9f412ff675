/**
 * @kraken/queue: the one queue foundation every app uses (job registry, payload schemas, typed
 * enqueue/parseJob, startWorker, the Redis connection factory). See issue 10.
 */
export * from './redis-connection';
