import type { ConnectionOptions } from 'bullmq';
import IORedis, { Cluster, type ClusterOptions, type Redis, type RedisOptions } from 'ioredis';

/**
 * How a connection behaves while Redis is unreachable. `worker`: commands wait and retry forever
 * (`maxRetriesPerRequest: null`, which BullMQ requires for its blocking commands). `producer`: fail
 * fast (no offline queue, one retry, 2 s connect timeout) so an enqueue or a cache read errors at
 * once and the gateway can answer 503 instead of hanging.
 */
export type RedisRole = 'worker' | 'producer';

/** A Kraken Redis client: one server (`Redis`) or a Redis Cluster (`Cluster`); both speak the same commands. */
export type RedisClient = Redis | Cluster;

/**
 * Where Kraken's Redis is.
 * - `url`: REDIS_URL, parsed by ioredis itself: `redis://[user:password@]host:port[/db]`, TLS with
 *   `rediss://`.
 * - `clusterNodes`: REDIS_CLUSTER_NODES split at commas (`host:port` seed nodes of a Redis Cluster;
 *   ioredis discovers the others). When present, every client is an ioredis `Cluster` and REDIS_URL
 *   supplies only the user, password and TLS that every node shares (its host, port and db are not
 *   used: a cluster has db 0 only).
 */
export interface RedisTarget {
  url: string;
  clusterNodes?: readonly string[];
}

/** The configuration keys `redisTarget` reads (a Nest ConfigService fits). */
export interface RedisConfigSource {
  get(key: 'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'QUEUE_PREFIX'): unknown;
}

/** A key prefix that is a Redis Cluster hash tag: `{name}` (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags). */
export const HASH_TAGGED_PREFIX = /^\{[^{}]+\}$/;

/**
 * Reads REDIS_URL and REDIS_CLUSTER_NODES from the validated configuration.
 *
 * Cluster safety: every Kraken key, BullMQ's included, starts with QUEUE_PREFIX, and flows put parent
 * and child jobs of different queues in one Lua script; so with a Cluster the prefix must be a hash
 * tag (`QUEUE_PREFIX={kraken}`), which puts every key of a deployment in one slot and keeps every
 * multi-key command and script legal (BullMQ's advice: https://docs.bullmq.io/guide/redis-cluster).
 * @throws Error when REDIS_URL is missing, or when REDIS_CLUSTER_NODES is set and QUEUE_PREFIX is
 *   not of the form `{name}`
 */
export function redisTarget(config: RedisConfigSource): RedisTarget {
  const url = config.get('REDIS_URL');
  if (typeof url !== 'string' || !url) throw new Error('REDIS_URL is not configured');
  const nodes = config.get('REDIS_CLUSTER_NODES');
  const clusterNodes = typeof nodes === 'string' ? nodes.split(',').map((n) => n.trim()).filter(Boolean) : [];
  if (!clusterNodes.length) return { url };
  const prefix = config.get('QUEUE_PREFIX');
  if (typeof prefix !== 'string' || !HASH_TAGGED_PREFIX.test(prefix)) {
    throw new Error(`with REDIS_CLUSTER_NODES, QUEUE_PREFIX must be a hash tag such as {kraken} (got ${String(prefix)})`);
  }
  return { url, clusterNodes };
}

const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  worker: { maxRetriesPerRequest: null },
  producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 },
};

/** Clusters handed to BullMQ by `redisConnection`: BullMQ never closes a client it was given. */
const sharedClusters = new Set<Cluster>();

/**
 * BullMQ `connection` for a Queue, Worker, QueueEvents or FlowProducer.
 * - one server: plain ioredis options (from ioredis's own parse of the URL plus the role's options);
 *   BullMQ opens and closes its connections itself, as before;
 * - a cluster: an ioredis `Cluster` (BullMQ accepts only an instance for a cluster). BullMQ treats a
 *   given instance as shared and never closes it: `closeRedisConnections()` does, after the app closed
 *   its queues and workers (installGracefulShutdown calls it).
 * @param target a RedisTarget, or a bare REDIS_URL for one server
 */
export function redisConnection(target: string | RedisTarget, role: RedisRole): ConnectionOptions {
  const t = typeof target === 'string' ? { url: target } : target;
  if (!t.clusterNodes?.length) return { ...urlOptions(t.url), ...ROLE_OPTIONS[role] };
  const cluster = createCluster(t, role, {});
  sharedClusters.add(cluster);
  cluster.once('end', () => sharedClusters.delete(cluster));
  return cluster;
}

/**
 * A new Redis client for Kraken's own keys (caches, limiters, markers, context), owned by the caller,
 * who closes it (`quit()`).
 * @param overrides ioredis options on top of the role's (e.g. `lazyConnect`, `enableAutoPipelining`)
 */
export function createRedis(target: string | RedisTarget, role: RedisRole, overrides: RedisOptions = {}): RedisClient {
  const t = typeof target === 'string' ? { url: target } : target;
  if (t.clusterNodes?.length) return createCluster(t, role, overrides);
  return new IORedis(t.url, { ...ROLE_OPTIONS[role], ...overrides });
}

/** Closes the clusters `redisConnection` gave to BullMQ (no-op with one server). Call once every queue and worker closed. */
export async function closeRedisConnections(): Promise<void> {
  const clusters = [...sharedClusters];
  sharedClusters.clear();
  await Promise.all(clusters.map((c) => c.quit().catch(() => c.disconnect())));
}

/** The connection fields of a redis:// or rediss:// URL as ioredis parses them (never connects). */
function urlOptions(url: string): RedisOptions {
  const parsed = new IORedis(url, { lazyConnect: true }).options;
  const { host, port, username, password, db, tls } = parsed;
  return { host, port, username, password, db, tls };
}

function createCluster(target: RedisTarget, role: RedisRole, overrides: RedisOptions): Cluster {
  const { username, password, tls } = urlOptions(target.url);
  const { enableOfflineQueue, lazyConnect, enableAutoPipelining, ...nodeOverrides } = overrides;
  const { enableOfflineQueue: roleOffline, ...roleNode } = ROLE_OPTIONS[role];
  const options: ClusterOptions = {
    enableOfflineQueue: enableOfflineQueue ?? roleOffline ?? true,
    lazyConnect,
    enableAutoPipelining,
    redisOptions: { username, password, tls, ...roleNode, ...nodeOverrides },
  };
  return new Cluster([...(target.clusterNodes ?? [])], options);
}
