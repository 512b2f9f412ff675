import * as Sentry from '@sentry/nestjs';
import type { Job } from 'bullmq';
import { scrubBreadcrumb, scrubEvent, secretValues } from './scrub-event';

/**
 * What initSentry needs from the validated configuration. Pass the whole configuration (`{ app,
 * ...config }`): the values of its secret-looking variables (tokens, secrets, passwords, API keys,
 * URL passwords; see secretValues) are redacted from every event.
 */
export interface SentrySettings {
  /** Process name reported as `server_name` and tag `app` (e.g. `gateway`). */
  app: string;
  SENTRY_DSN?: string;
  SENTRY_ENVIRONMENT?: string;
  NODE_ENV: string;
  [variable: string]: unknown;
}

/** How long shutdown waits for queued Sentry events to be sent (ms). */
const FLUSH_TIMEOUT_MS = 2000;

/**
 * Starts the Sentry SDK (@sentry/nestjs) when SENTRY_DSN is set; does nothing otherwise, so without a
 * DSN no event is ever built or sent. Errors only: no tracing, no default PII. Nest's own automatic
 * instrumentation is left out because Kraken reports job failures itself (captureJobFailure: only a
 * job's last attempt, never the retries) and unexpected HTTP errors through HttpErrorFilter.
 *
 * Nothing secret or written by users leaves the process: incoming request bodies are never read
 * (`maxIncomingRequestBodySize: 'none'`) nor attached (RequestData without data, cookies, query
 * string or headers), and `beforeSend`/`beforeBreadcrumb` (scrubEvent, scrubBreadcrumb) drop request
 * headers but a few harmless ones, console breadcrumbs and local variables, strip query strings, and
 * redact bot tokens (`/bot<token>/…` URLs of outgoing Bot API calls) and every secret value of the
 * configuration and environment. Job data is never attached (captureJobFailure).
 * @returns true when Sentry was started
 */
export function initSentry(settings: SentrySettings): boolean {
  if (!settings.SENTRY_DSN) return false;
  const secrets = secretValues(settings, process.env);
  Sentry.init({
    dsn: settings.SENTRY_DSN,
    environment: settings.SENTRY_ENVIRONMENT ?? settings.NODE_ENV,
    serverName: settings.app,
    initialScope: { tags: { app: settings.app } },
    sendDefaultPii: false,
    includeLocalVariables: false,
    integrations: (defaults) => [
      ...defaults.filter((integration) => !['Nest', 'Http', 'RequestData', 'Console'].includes(integration.name)),
      Sentry.httpIntegration({ maxIncomingRequestBodySize: 'none' }),
      Sentry.requestDataIntegration({ include: { cookies: false, data: false, headers: false, ip: false, query_string: false, url: true } }),
    ],
    beforeSend: (event) => scrubEvent(event, secrets),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb, secrets),
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
