import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { createRedis, redisTarget, type RedisClient } from '@kraken/redis';

/** Longest a health ping may take (ms) before Redis counts as down. */
const PING_TIMEOUT_MS = 1000;

/** Terminus indicator: Redis (the BullMQ connection's server) answers PING within 1 s. */
@Injectable()
export class RedisHealthIndicator implements OnModuleDestroy {
  private readonly redis: RedisClient;

  constructor(
    config: ConfigService,
    private readonly indicators: HealthIndicatorService,
  ) {
    this.redis = createRedis(redisTarget(config), 'producer', { lazyConnect: true });
    this.redis.on('error', () => undefined); // reported through the check, not as an unhandled event
  }

  async isHealthy(key = 'redis'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no PONG within 1 s')), PING_TIMEOUT_MS).unref());
      await Promise.race([this.redis.ping(), timeout]);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
