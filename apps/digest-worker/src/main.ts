import 'reflect-metadata';
import { runWorkerApp } from '@kraken/queue';
import { digestWorkerEnv } from './digest-worker.env';
import { DigestWorkerModule } from './digest-worker.module';

/** Starts the digest-worker: meme flow and monthly digests (runWorkerApp: /health and /metrics on HEALTH_PORT; SIGTERM drains it). */
runWorkerApp('digest-worker', digestWorkerEnv, DigestWorkerModule);
