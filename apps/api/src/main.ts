import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { apiEnv, exitIfPortUnavailable, loadConfigOrExit } from '@kraken/config';
import { installGracefulShutdown } from '@kraken/health';
import { initSentry } from '@kraken/observability';
import { Logger } from 'nestjs-pino';
import { ApiModule } from './api.module';
import { configureApi } from './configure-api';

/**
 * Starts the HTTP API on API_PORT (default 3100): JSON bodies up to API_BODY_LIMIT_BYTES, security
 * headers, CORS only for API_CORS_ORIGINS, Swagger UI at /docs, health and metrics. SIGTERM:
 * readiness turns 503, in-flight requests (streams included) finish within SHUTDOWN_GRACE_MS, then
 * connections close (installGracefulShutdown).
 */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit(apiEnv);
  await exitIfPortUnavailable('API_PORT', config.API_PORT, config.API_HOST);
  initSentry({ app: 'api', ...config });
  const app = await NestFactory.create<NestExpressApplication>(ApiModule, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  configureApi(app, config);
  installGracefulShutdown(app, { graceMs: config.SHUTDOWN_GRACE_MS });
  await app.listen(config.API_PORT, config.API_HOST);
  app.get(Logger).log(`api listening on ${await app.getUrl()}`);
}

void bootstrap();
