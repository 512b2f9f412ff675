import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController, READINESS_CHECKS } from './health.controller';
import { PrismaHealthIndicator } from './prisma.health';
import { RedisHealthIndicator } from './redis.health';

/** Liveness and readiness endpoints (@nestjs/terminus). `database: true` adds the PostgreSQL check. */
@Module({})
export class HealthModule {
  static forRoot(options: { database: boolean }): DynamicModule {
    const indicators = options.database ? [RedisHealthIndicator, PrismaHealthIndicator] : [RedisHealthIndicator];
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        ...indicators,
        {
          provide: READINESS_CHECKS,
          inject: indicators,
          useFactory: (...deps: Array<RedisHealthIndicator | PrismaHealthIndicator>) => deps.map((d) => () => d.isHealthy()),
        },
      ],
    };
  }
}
