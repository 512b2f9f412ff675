import { exitIfPortUnavailable, loadConfigOrExit } from '@kraken/config';
import { installGracefulShutdown } from '@kraken/health';
import { initSentry } from '@kraken/observability';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { z } from 'zod';
import { exitOnStartupError } from './start-up-error';

/** What every worker app's environment has: its HTTP port, the drain time, and Sentry's settings. */
type WorkerAppEnv = { HEALTH_PORT: number; SHUTDOWN_GRACE_MS: number; NODE_ENV: string; SENTRY_DSN?: string; SENTRY_ENVIRONMENT?: string };

/**
 * The `main` of a worker app (stats-worker, llm-worker, digest-worker): validates the environment with
 * `envSchema` (exits with the config error otherwise), checks HEALTH_PORT is free, starts Sentry when
 * SENTRY_DSN is set, builds `module` with the pino logger, installs graceful shutdown (SIGTERM drains
 * the workers within SHUTDOWN_GRACE_MS ms) and serves /health/live, /health/ready and /metrics on
 * HEALTH_PORT, its only HTTP surface. A start-up failure exits with code 1 (exitOnStartupError).
 * @param app the process name (logs, Sentry's `app` tag)
 */
export function runWorkerApp<S extends z.ZodType<WorkerAppEnv>>(app: string, envSchema: S, module: Type<unknown>): void {
  const bootstrap = async (): Promise<void> => {
    const config = loadConfigOrExit(envSchema);
    await exitIfPortUnavailable('HEALTH_PORT', config.HEALTH_PORT, '0.0.0.0');
    initSentry({ ...config, app });
    const nest = await NestFactory.create(module, { bufferLogs: true });
    nest.useLogger(nest.get(Logger));
    installGracefulShutdown(nest, { graceMs: config.SHUTDOWN_GRACE_MS });
    await nest.listen(config.HEALTH_PORT, '0.0.0.0');
  };
  bootstrap().catch(exitOnStartupError);
}
