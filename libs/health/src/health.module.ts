import { DynamicModule, Module } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { HealthController, READINESS_CHECKS } from './health.controller';
import { PrismaHealthIndicator } from './prisma.health';
import { RedisHealthIndicator } from './redis.health';
import { ShutdownState } from './shutdown/shutdown-state';
import { WorkerRegistry } from './shutdown/worker-registry';

/** Something with a terminus check. */
interface Indicator {
  isHealthy(): ReturnType<RedisHealthIndicator['isHealthy']>;
}

/**
 * Liveness and readiness endpoints (@nestjs/terminus) and graceful shutdown. Readiness checks Redis,
 * PostgreSQL (`database: true`), the BullMQ workers of the process (`queue`: running, connection
 * ready) and that no shutdown began (`shutdown`). Global: exports WorkerRegistry (register workers
 * created by hand, drain them) and ShutdownState.
 */
@Module({})
export class HealthModule {
  /** Builds the module; `database: true` adds the PostgreSQL check (needs PrismaModule). */
  static forRoot(options: { database: boolean }): DynamicModule {
    const indicators = options.database ? [RedisHealthIndicator, PrismaHealthIndicator] : [RedisHealthIndicator];
    return {
      module: HealthModule,
      global: true,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        ...indicators,
        ShutdownState,
        WorkerRegistry,
        {
          provide: READINESS_CHECKS,
          inject: [HealthIndicatorService, ShutdownState, WorkerRegistry, ...indicators],
          useFactory: (service: HealthIndicatorService, state: ShutdownState, ...deps: Indicator[]) => [
            ...deps.map((d) => () => d.isHealthy()),
            () => (state.draining ? service.check('shutdown').down({ message: 'shutting down' }) : service.check('shutdown').up()),
          ],
        },
      ],
      exports: [WorkerRegistry, ShutdownState],
    };
  }
}
