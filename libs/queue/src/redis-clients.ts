import { createRedis, redisTarget, type RedisClient, type RedisRole } from '@kraken/redis';
import { Injectable, Module, OnApplicationShutdown, type FactoryProvider, type InjectionToken } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RedisOptions } from 'ioredis';

/**
 * The ioredis clients of a Kraken app (caches, limiters, context stores …; BullMQ makes its own), each
 * from createRedis (REDIS_URL, or a Cluster with REDIS_CLUSTER_NODES), all quit at application shutdown, i.e. after every worker drained
 * (beforeApplicationShutdown) so a running job never loses its client. Provided by RedisClientsModule.
 */
@Injectable()
export class RedisClients implements OnApplicationShutdown {
  private readonly clients = new Set<RedisClient>();

  constructor(private readonly config: ConfigService) {}

  /**
   * A new client for `role` (see redisConnection): `producer` clients fail fast while Redis is down,
   * `worker` clients retry forever. Connection errors are not logged here: a failing command reports
   * them, and readiness (/health/ready) shows the connection down.
   * @param options extra ioredis options, e.g. `{ lazyConnect: true, enableAutoPipelining: true }`
   * @throws Error when REDIS_URL is absent from the configuration (redisTarget)
   */
  create(role: RedisRole, options: RedisOptions = {}): RedisClient {
    const redis = createRedis(redisTarget(this.config), role, options);
    redis.on('error', () => undefined);
    this.clients.add(redis);
    return redis;
  }

  /** Quits every client (disconnects one whose Redis does not answer). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.clients].map((redis) => redis.quit().then(() => undefined, () => redis.disconnect())));
  }
}

/** Provides RedisClients (one per process, however many modules import this one). Needs the global ConfigService. */
@Module({ providers: [RedisClients], exports: [RedisClients] })
export class RedisClientsModule {}

/**
 * A provider of `token`: an ioredis client from RedisClients (so it is closed at shutdown). The
 * module listing it must import RedisClientsModule.
 */
export function redisClientProvider(token: InjectionToken, role: RedisRole, options?: RedisOptions): FactoryProvider<RedisClient> {
  return { provide: token, inject: [RedisClients], useFactory: (clients: RedisClients) => clients.create(role, options) };
}
