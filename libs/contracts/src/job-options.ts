import type { JobsOptions } from 'bullmq';

/**
 * Defaults for jobs Kraken enqueues: retried with exponential back-off (1 s, 2 s, 4 s …), completed
 * jobs kept a day (the window in which Telegram redelivers an update, so job-id dedupe holds) and
 * failed ones a week for inspection. Long-term idempotency lives in PostgreSQL keys.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 200_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};
