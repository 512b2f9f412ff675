import type { ConnectionOptions } from 'bullmq';

/**
 * BullMQ connection options from a redis:// URL. Workers need `maxRetriesPerRequest: null` (BullMQ
 * requirement for blocking commands); producers fail fast (`enableOfflineQueue: false`, one retry) so
 * the gateway can answer 5xx while Redis is down instead of hanging.
 */
export function redisConnection(url: string, role: 'worker' | 'producer'): ConnectionOptions {
  const u = new URL(url);
  const common = {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
  return role === 'worker'
    ? { ...common, maxRetriesPerRequest: null }
    : { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 };
}
