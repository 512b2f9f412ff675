import { redisConnection } from '@kraken/contracts';
import { Injectable, Module, OnApplicationShutdown, type FactoryProvider, type InjectionToken } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import IORedis, { type Redis, type RedisOptions } from 'ioredis';

/**
 * The ioredis clients of a Kraken app (caches, limiters, context stores …; BullMQ makes its own), each
 * on REDIS_URL, all quit at application shutdown, i.e. after every worker drained
 * (beforeApplicationShutdown) so a running job never loses its client. Provided by RedisClientsModule.
 */
@Injectable()
export class RedisClients implements OnApplicationShutdown {
  private readonly clients = new Set<Redis>();

  constructor(private readonly config: ConfigService) {}

  /**
   * A new client for `role` (see redisConnection): `producer` clients fail fast while Redis is down,
   * `worker` clients retry forever. Connection errors are not logged here: a failing command reports
   * them, and readiness (/health/ready) shows the connection down.
   * @param options extra ioredis options, e.g. `{ lazyConnect: true, enableAutoPipelining: true }`
   * @throws TypeError when REDIS_URL is absent from the configuration
   */
  create(role: 'worker' | 'producer', options: RedisOptions = {}): Redis {
    const redis = new IORedis({ ...(redisConnection(this.config.getOrThrow<string>('REDIS_URL'), role) as RedisOptions), ...options });
    redis.on('error', () => undefined);
    this.clients.add(redis);
    return redis;
  }

  /** Quits every client (disconnects one whose Redis does not answer). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.clients].map((redis) => redis.quit().catch(() => redis.disconnect())));
  }
}

/** Provides RedisClients (one per process, however many modules import this one). Needs the global ConfigService. */
@Module({ providers: [RedisClients], exports: [RedisClients] })
export class RedisClientsModule {}

/**
 * A provider of `token`: an ioredis client from RedisClients (so it is closed at shutdown). The
 * module listing it must import RedisClientsModule.
 */
export function redisClientProvider(token: InjectionToken, role: 'worker' | 'producer', options?: RedisOptions): FactoryProvider<Redis> {
  return { provide: token, inject: [RedisClients], useFactory: (clients: RedisClients) => clients.create(role, options) };
}
