import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { exitIfPortUnavailable, loadConfigOrExit, statsWorkerEnv } from '@kraken/config';
import { installGracefulShutdown } from '@kraken/health';
import { initSentry } from '@kraken/observability';
import { exitOnStartupError } from '@kraken/queue';
import { Logger } from 'nestjs-pino';
import { StatsWorkerModule } from './stats-worker.module';

/**
 * Starts the stats worker; its only HTTP surface is on HEALTH_PORT: /health/live, /health/ready and
 * /metrics. SIGTERM drains it (installGracefulShutdown).
 */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit(statsWorkerEnv);
  await exitIfPortUnavailable('HEALTH_PORT', config.HEALTH_PORT, '0.0.0.0');
  initSentry({ app: 'stats-worker', ...config });
  const app = await NestFactory.create(StatsWorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  installGracefulShutdown(app, { graceMs: config.SHUTDOWN_GRACE_MS });
  await app.listen(config.HEALTH_PORT, '0.0.0.0');
}

bootstrap().catch(exitOnStartupError);
