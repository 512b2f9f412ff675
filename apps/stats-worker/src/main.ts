import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit, statsWorkerEnv } from '@kraken/config';
import { Logger } from 'nestjs-pino';
import { StatsWorkerModule } from './stats-worker.module';

/** Starts the stats worker (no HTTP server). */
async function bootstrap(): Promise<void> {
  loadConfigOrExit(statsWorkerEnv);
  const app = await NestFactory.createApplicationContext(StatsWorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
}

void bootstrap();
