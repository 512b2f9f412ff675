import 'reflect-metadata';
import { exitIfPortUnavailable, loadConfigOrExit } from '@kraken/config';
import { installGracefulShutdown } from '@kraken/health';
import { initSentry } from '@kraken/observability';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { llmWorkerEnv } from './llm-worker.env';
import { LlmWorkerModule } from './llm-worker.module';
import { exitOnStartupError } from '@kraken/queue';

/**
 * Starts the llm-worker; its only HTTP surface is on HEALTH_PORT: /health/live, /health/ready and
 * /metrics. SIGTERM drains it within SHUTDOWN_GRACE_MS (installGracefulShutdown).
 */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit(llmWorkerEnv);
  await exitIfPortUnavailable('HEALTH_PORT', config.HEALTH_PORT, '0.0.0.0');
  initSentry({ app: 'llm-worker', ...config });
  const app = await NestFactory.create(LlmWorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  installGracefulShutdown(app, { graceMs: config.SHUTDOWN_GRACE_MS });
  await app.listen(config.HEALTH_PORT, '0.0.0.0');
}

bootstrap().catch(exitOnStartupError);
