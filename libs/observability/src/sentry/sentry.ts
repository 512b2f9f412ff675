import * as Sentry from '@sentry/nestjs';
import type { Job } from 'bullmq';

/** What initSentry needs from the validated configuration. */
export interface SentrySettings {
  /** Process name reported as `server_name` and tag `app` (e.g. `gateway`). */
  app: string;
  SENTRY_DSN?: string;
  SENTRY_ENVIRONMENT?: string;
  NODE_ENV: string;
}

/** How long shutdown waits for queued Sentry events to be sent (ms). */
const FLUSH_TIMEOUT_MS = 2000;

/**
 * Starts the Sentry SDK (@sentry/nestjs) when SENTRY_DSN is set; does nothing otherwise, so without a
 * DSN no event is ever built or sent. Errors only: no tracing, no default PII. Nest's own automatic
 * instrumentation is left out because Kraken reports job failures itself (captureJobFailure: only a
 * job's last attempt, never the retries) and unexpected HTTP errors through HttpErrorFilter.
 * @returns true when Sentry was started
 */
export function initSentry(settings: SentrySettings): boolean {
  if (!settings.SENTRY_DSN) return false;
  Sentry.init({
    dsn: settings.SENTRY_DSN,
    environment: settings.SENTRY_ENVIRONMENT ?? settings.NODE_ENV,
    serverName: settings.app,
    initialScope: { tags: { app: settings.app } },
    sendDefaultPii: false,
    integrations: (defaults) => defaults.filter((integration) => integration.name !== 'Nest'),
  });
  return true;
}

/**
 * Reports a job that failed for good (its last attempt, or an unrecoverable error) with queue, job
 * name and id as tags; the job's data is not sent (it may hold message texts). No-op without Sentry.
 */
export function captureJobFailure(error: unknown, job: Job): void {
  if (!Sentry.isInitialized()) return;
  Sentry.captureException(error, {
    tags: { queue: job.queueName, job: job.name },
    extra: { jobId: job.id, attemptsMade: job.attemptsMade + 1 },
  });
}

/** Sends queued events before the process exits (at most 2 s); no-op without Sentry. */
export async function flushSentry(): Promise<void> {
  if (Sentry.isInitialized()) await Sentry.close(FLUSH_TIMEOUT_MS);
}
