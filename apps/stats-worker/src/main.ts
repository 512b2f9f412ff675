import 'reflect-metadata';
import { statsWorkerEnv } from '@kraken/config';
import { runWorkerApp } from '@kraken/queue';
import { StatsWorkerModule } from './stats-worker.module';

/** Starts the stats worker (runWorkerApp: /health and /metrics on HEALTH_PORT; SIGTERM drains it). */
runWorkerApp('stats-worker', statsWorkerEnv, StatsWorkerModule);
