import type { JobsOptions } from 'bullmq';

/** Completed jobs a queue keeps at most (newest first), whatever their age. */
export const COMPLETED_JOBS_KEPT = 10_000;
/** Failed jobs a queue keeps at most (newest first), whatever their age. */
export const FAILED_JOBS_KEPT = 1_000;

/**
 * Defaults for jobs Kraken enqueues: retried with exponential back-off (1 s, 2 s, 4 s …), completed
 * jobs kept a day (the window in which Telegram redelivers an update, so job-id dedupe holds) and
 * failed ones a week for inspection, each capped by count so Redis memory stays bounded at any
 * update rate (see the README's Reliability section). Long-term idempotency lives in PostgreSQL keys
 * and outbox sent markers, never only in kept jobs.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: COMPLETED_JOBS_KEPT },
  removeOnFail: { age: 7 * 24 * 3600, count: FAILED_JOBS_KEPT },
};

/**
 * Options of jobs whose payload carries message text their worker stores elsewhere (the stats worker
 * in PostgreSQL, the llm-worker in the chat's context): the job is deleted as soon as it completes, so
 * no text lingers in Redis. A redelivered update then enqueues its job again, which is harmless: the
 * writes are idempotent (PostgreSQL keys, context entries keyed by message id). A failed job keeps its
 * text (it was never stored) within the failed-job caps.
 */
export const TEXT_JOB_OPTIONS: JobsOptions = { ...DEFAULT_JOB_OPTIONS, removeOnComplete: true };

/** Options of a `stats` job: TEXT_JOB_OPTIONS when its fact carries a message text, else DEFAULT_JOB_OPTIONS. */
export function statsJobOptions(fact: object): JobsOptions {
  const text = (fact as { text?: unknown }).text;
  return typeof text === 'string' && text !== '' ? TEXT_JOB_OPTIONS : DEFAULT_JOB_OPTIONS;
}
