import 'reflect-metadata';
import { loadConfigOrExit } from '@kraken/config';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { llmWorkerEnv } from './llm-worker.env';
import { LlmWorkerModule } from './llm-worker.module';

/** Starts the llm-worker; its only HTTP surface is /health/live and /health/ready on HEALTH_PORT. */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit(llmWorkerEnv);
  const app = await NestFactory.create(LlmWorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.HEALTH_PORT, '0.0.0.0');
}

void bootstrap();
