import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { collectDefaultMetrics, register } from 'prom-client';
import { MetricsController } from './metrics/metrics.controller';
import { DEPTH_QUEUES, QueueDepthCollector } from './metrics/queue-depth.collector';
import { HttpErrorFilter } from './sentry/http-error.filter';

/** Options of ObservabilityModule.forRoot. */
export interface ObservabilityOptions {
  /** Process name, the `app` label of every metric (e.g. `gateway`, `stats-worker`). */
  app: string;
  /** Queues this process consumes; their depth is reported in `kraken_queue_jobs`. */
  queues: string[];
  /**
   * Install HttpErrorFilter (default true). Apps with their own global exception filter set false
   * and report unexpected errors with reportHttpError.
   */
  httpErrorFilter?: boolean;
}

let processMetricsStarted = false;

/** Labels every series with `app` and starts prom-client's process metrics (CPU, memory, event loop), once. */
function startProcessMetrics(app: string): void {
  if (processMetricsStarted) return;
  processMetricsStarted = true;
  register.setDefaultLabels({ app });
  collectDefaultMetrics();
}

/**
 * Metrics and error reporting for one Kraken app: `GET /metrics` (Prometheus, METRICS_ENABLED),
 * queue depth of `queues`, process metrics, and HttpErrorFilter (reports unexpected HTTP errors to
 * Sentry when initSentry started it; HttpExceptions such as 401/503 are not reported).
 * Needs the global ConfigService (REDIS_URL, QUEUE_PREFIX). Import once, in the app's root module.
 */
@Module({})
export class ObservabilityModule {
  /** Builds the module for one app; see ObservabilityOptions. */
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [MetricsController],
      providers: [
        { provide: DEPTH_QUEUES, useFactory: () => (startProcessMetrics(options.app), options.queues) },
        QueueDepthCollector,
        ...(options.httpErrorFilter === false ? [] : [{ provide: APP_FILTER, useClass: HttpErrorFilter }]),
      ],
    };
  }
}
