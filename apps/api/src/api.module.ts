import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { apiEnv, KrakenConfigModule, KrakenLoggerModule, type ApiEnv } from '@kraken/config';
import { PrismaModule } from '@kraken/db';
import { HealthModule } from '@kraken/health';
import { LlmModule } from '@kraken/llm';
import { ObservabilityModule } from '@kraken/observability';
import type { RedisClient } from '@kraken/redis';
import { AdminKbController } from './admin/admin-kb.controller';
import { AdminController } from './admin/admin.controller';
import { apiProviders, ApiRedisModule } from './api.providers';
import { API_REDIS } from './api.tokens';
import { AuthController } from './auth/auth.controller';
import { AccessGuard } from './http/access.guard';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { RateLimitGuard, rateLimitKey, rateLimitThrottlers } from './http/rate-limits';
import { QuestionsController } from './questions/questions.controller';
import { QuestionsService } from './questions/questions.service';
import { UsersController } from './users/users.controller';

/**
 * The HTTP API: accounts and tokens (`/auth`), the own account (`/users/me`), questions
 * (`/questions`) and administration (`/admin`, the knowledge base at `/admin/kb`), with health, metrics and OpenAPI docs. Guards run in
 * this order: AccessGuard (access token, admin routes), then RateLimitGuard (login, register, ask).
 */
@Module({
  imports: [
    KrakenConfigModule.forRoot(apiEnv),
    KrakenLoggerModule.forRoot({ requestLogs: true }),
    PrismaModule,
    HealthModule.forRoot({ database: true }),
    ObservabilityModule.forRoot({ app: 'api', queues: [], httpErrorFilter: false }),
    LlmModule,
    ApiRedisModule,
    ThrottlerModule.forRootAsync({
      inject: [ConfigService, API_REDIS],
      useFactory: (config: ConfigService<ApiEnv, true>, redis: RedisClient) => ({
        throttlers: rateLimitThrottlers((name) => config.get(name, { infer: true })),
        // the library has one constructor overload per client kind
        storage: 'nodes' in redis ? new ThrottlerStorageRedisService(redis) : new ThrottlerStorageRedisService(redis),
        generateKey: rateLimitKey(config.get('QUEUE_PREFIX', { infer: true })),
        errorMessage: 'too many requests; try again later',
        setHeaders: false,
      }),
    }),
  ],
  controllers: [AuthController, UsersController, QuestionsController, AdminController, AdminKbController],
  providers: [
    ...apiProviders,
    QuestionsService,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
  ],
})
export class ApiModule {}
