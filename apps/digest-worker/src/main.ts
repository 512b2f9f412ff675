import 'reflect-metadata';
import { exitIfPortUnavailable, loadConfigOrExit } from '@kraken/config';
import { installGracefulShutdown } from '@kraken/health';
import { initSentry } from '@kraken/observability';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { digestWorkerEnv } from './digest-worker.env';
import { DigestWorkerModule } from './digest-worker.module';
import { exitOnStartupError } from '@kraken/queue';

/**
 * Starts the digest-worker (meme flow and monthly digests); its only HTTP surface is on HEALTH_PORT:
 * /health/live, /health/ready and /metrics. SIGTERM drains it (installGracefulShutdown).
 */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit(digestWorkerEnv);
  await exitIfPortUnavailable('HEALTH_PORT', config.HEALTH_PORT, '0.0.0.0');
  initSentry({ app: 'digest-worker', ...config });
  const app = await NestFactory.create(DigestWorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  installGracefulShutdown(app, { graceMs: config.SHUTDOWN_GRACE_MS });
  await app.listen(config.HEALTH_PORT, '0.0.0.0');
}

bootstrap().catch(exitOnStartupError);
