import 'reflect-metadata';
import { runWorkerApp } from '@kraken/queue';
import { llmWorkerEnv } from './llm-worker.env';
import { LlmWorkerModule } from './llm-worker.module';

/** Starts the llm-worker (runWorkerApp: /health and /metrics on HEALTH_PORT; SIGTERM drains it within SHUTDOWN_GRACE_MS). */
runWorkerApp('llm-worker', llmWorkerEnv, LlmWorkerModule);
