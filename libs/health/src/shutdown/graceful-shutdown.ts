import type { Server } from 'node:http';
import { INestApplication, Logger } from '@nestjs/common';
import { flushSentry } from '@kraken/observability';
import { closeRedisConnections } from '@kraken/redis';
import { ShutdownState } from './shutdown-state';

/** Extra time after the grace period before a stuck shutdown is cut short with exit code 1 (ms). */
const HARD_STOP_MARGIN_MS = 5000;
/** How often idle keep-alive connections are closed while requests drain (ms). */
const IDLE_SWEEP_MS = 100;

/** Options of installGracefulShutdown. */
export interface GracefulShutdownOptions {
  /** SHUTDOWN_GRACE_MS: time for in-flight requests and running jobs, counted from the signal. */
  graceMs: number;
  /** Stops other intake before the HTTP server closes (e.g. Telegram long polling). */
  stopIntake?: () => void | Promise<void>;
}

/**
 * Replaces Nest's `enableShutdownHooks` with an orderly stop on SIGTERM or SIGINT:
 * 1. readiness turns 503 (ShutdownState) and `stopIntake` runs;
 * 2. the HTTP server stops accepting connections and in-flight requests finish (idle keep-alive
 *    connections are closed; whatever is still open when the grace period ends is cut);
 * 3. `app.close()`: WorkerRegistry drains every BullMQ worker within the rest of the grace period,
 *    then queues, Redis and PostgreSQL connections close (and the Redis Cluster clients BullMQ was
 *    given: closeRedisConnections);
 * 4. queued Sentry events are flushed and the process exits with 0.
 * A shutdown still running `graceMs` + 5 s after the signal (e.g. a job that ignores the end of its
 * grace period, or Redis unreachable) exits with code 1. A second signal is ignored.
 */
export function installGracefulShutdown(app: INestApplication, options: GracefulShutdownOptions): void {
  const logger = new Logger('Shutdown');
  let started = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (started) return;
    started = true;
    setTimeout(() => {
      logger.error(`shutdown still running ${options.graceMs + HARD_STOP_MARGIN_MS} ms after ${signal}; exiting`);
      process.exit(1);
    }, options.graceMs + HARD_STOP_MARGIN_MS).unref();
    shutdown(app, signal, options, logger).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.stack : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function shutdown(app: INestApplication, signal: NodeJS.Signals, options: GracefulShutdownOptions, logger: Logger): Promise<void> {
  const state = app.get(ShutdownState);
  state.begin(options.graceMs);
  logger.log(`${signal} received: draining (grace period ${options.graceMs} ms)`);
  await options.stopIntake?.();
  await closeHttpServer(app.getHttpServer() as Server, state.remainingMs(options.graceMs));
  await app.close();
  await closeRedisConnections();
  await flushSentry();
  logger.log('shutdown complete');
}

/** Stops accepting connections and resolves once open requests are answered (or after `graceMs`). */
function closeHttpServer(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
