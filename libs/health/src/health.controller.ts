import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthIndicatorFunction } from '@nestjs/terminus';

/** Token of the readiness checks an app registers (see HealthModule.forRoot). */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/**
 * `GET /health/live`: the process answers (liveness). `GET /health/ready`: every dependency of this app
 * answers and it takes work (readiness: Redis, PostgreSQL where used, its BullMQ workers, not shutting
 * down); 503 with the failing checks otherwise.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(READINESS_CHECKS) private readonly checks: HealthIndicatorFunction[],
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(this.checks);
  }
}
