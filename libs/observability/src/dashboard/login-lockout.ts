import { createHash } from 'node:crypto';
import { createRedis, redisTarget, type RedisClient } from '@kraken/redis';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Failed queue-dashboard logins per client address and user name (rate-limiter-flexible in Redis,
 * shared by every gateway; an in-memory limiter stands in while Redis fails): after
 * ADMIN_LOGIN_MAX_FAILURES failed logins of one user name from one address within
 * ADMIN_LOGIN_LOCKOUT_SECONDS, that address and user name are locked out (429) until the window
 * ends, whatever password is tried; a successful login clears the count. Keyed by address and user
 * name so a stranger cannot lock the admin out from elsewhere (OWASP's "consecutive failed attempts
 * by user name and IP"). Keys: `<QUEUE_PREFIX>:dashboard:login-failures:<ip>:<sha256(user) prefix>`.
 */
@Injectable()
export class LoginLockout implements OnApplicationShutdown {
  private readonly redis: RedisClient;
  private readonly limiter: RateLimiterRedis;
  private readonly maxFailures: number;

  constructor(@Inject(ConfigService) config: ConfigService) {
    this.maxFailures = config.getOrThrow<number>('ADMIN_LOGIN_MAX_FAILURES');
    const seconds = config.getOrThrow<number>('ADMIN_LOGIN_LOCKOUT_SECONDS');
    this.redis = createRedis(redisTarget(config), 'producer', { lazyConnect: true });
    this.redis.on('error', () => undefined); // the in-memory insurance limiter takes over
    this.limiter = new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: `${config.getOrThrow<string>('QUEUE_PREFIX')}:dashboard:login-failures`,
      points: this.maxFailures,
      duration: seconds,
      insuranceLimiter: new RateLimiterMemory({ points: this.maxFailures, duration: seconds }),
    });
  }

  /** Seconds until `ip` may try `user` again; 0 when not locked out. */
  async lockedForSeconds(ip: string, user: string): Promise<number> {
    const res = await this.limiter.get(key(ip, user));
    return res !== null && res.consumedPoints >= this.maxFailures ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;
  }

  /** Counts a failed login of `user` from `ip`. */
  async failed(ip: string, user: string): Promise<void> {
    await this.limiter.consume(key(ip, user)).catch((rejection: unknown) => {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
    });
  }

  /** Clears the failures of `user` from `ip` after a successful login. */
  async succeeded(ip: string, user: string): Promise<void> {
    await this.limiter.delete(key(ip, user));
  }

  /** Closes the Redis connection. */
  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}

function key(ip: string, user: string): string {
  return `${ip}:${createHash('sha256').update(user).digest('hex').slice(0, 16)}`;
}
