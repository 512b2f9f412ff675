export { ObservabilityModule, type ObservabilityOptions } from './observability.module';
export { Metrics, type JobOutcome, type OutboxSendOutcome } from './metrics/metrics';
export { runWithLogContext, jobLogContext, type LogContext } from './logging/log-context';
export { observeJob, ObserveJob } from './jobs/observe-job';
export { activeJobs, JobHandedBackError, type JobRun, type HandBackResult } from './jobs/active-jobs';
export { initSentry, flushSentry, type SentrySettings } from './sentry/sentry';
export { observeUpdates, countWebhookResponses } from './updates/update-observer';
export { QueueDashboardModule } from './dashboard/queue-dashboard.module';
