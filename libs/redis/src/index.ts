/**
 * @kraken/redis: the one Redis connection factory (REDIS_URL, REDIS_CLUSTER_NODES) used by every queue,
 * worker, limiter and cache. Its own lib, below @kraken/queue, @kraken/health and @kraken/observability,
 * which all need it.
 */
export * from './redis-connection';
