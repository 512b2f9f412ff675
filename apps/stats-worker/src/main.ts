import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit, statsWorkerEnv } from '@kraken/config';
import { Logger } from 'nestjs-pino';
import { StatsWorkerModule } from './stats-worker.module';

/** Starts the stats worker; its only HTTP surface is /health/live and /health/ready on HEALTH_PORT. */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit(statsWorkerEnv);
  const app = await NestFactory.create(StatsWorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.HEALTH_PORT, '0.0.0.0');
}

void bootstrap();
