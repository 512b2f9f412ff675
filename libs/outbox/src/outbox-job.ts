import { DEFAULT_JOB_OPTIONS, OutboxCallSchema } from '@kraken/contracts';
import type { BackoffStrategy, JobsOptions } from 'bullmq';
import type { z } from 'zod';

/** Data of an `outbox` job: an OutboxCall after validation (`isMessage` defaulted). */
export type OutboxJobData = z.output<typeof OutboxCallSchema>;

/** Name of the custom BullMQ back-off used by outbox jobs (resolved by the outbox worker). */
export const OUTBOX_BACKOFF_TYPE = 'outbox-capped-exponential';
/** First retry delay after a network error or 5xx, in ms. */
export const OUTBOX_BACKOFF_BASE_MS = 1_000;
/** Longest delay between two attempts, in ms (15 minutes). */
export const OUTBOX_BACKOFF_CAP_MS = 15 * 60_000;
/** Attempts an outbox job gets for network errors and 5xx answers (429 and rate-limit holds do not count). */
export const OUTBOX_ATTEMPTS = 30;

/**
 * Delay in ms before the retry that follows failed attempt number `attemptsMade` (1-based):
 * 1 s, 2 s, 4 s … doubling up to 15 minutes. With OUTBOX_ATTEMPTS = 30 the 29 retries wait
 * 1+2+…+512 s (1,023 s) plus 19 × 900 s, i.e. 18,123 s ≈ 5 h 2 min in total, so a Telegram or network
 * outage of about five hours is survived before a job ends failed.
 */
export function outboxBackoffDelayMs(attemptsMade: number): number {
  const exponent = Math.max(0, attemptsMade - 1);
  return Math.min(OUTBOX_BACKOFF_BASE_MS * 2 ** exponent, OUTBOX_BACKOFF_CAP_MS);
}

/**
 * BullMQ worker `settings.backoffStrategy` for outbox jobs. Jobs whose back-off type is not
 * OUTBOX_BACKOFF_TYPE never reach it (BullMQ resolves `fixed`/`exponential` itself), but it answers
 * them with the same capped curve instead of failing.
 */
export const outboxBackoffStrategy: BackoffStrategy = (attemptsMade) => outboxBackoffDelayMs(attemptsMade);

/**
 * Options of every outbox job: Kraken's defaults (completed jobs kept a day, failed ones a week in
 * the failed set) with 30 attempts on the capped exponential back-off above.
 */
export const OUTBOX_JOB_OPTIONS: JobsOptions = {
  ...DEFAULT_JOB_OPTIONS,
  attempts: OUTBOX_ATTEMPTS,
  backoff: { type: OUTBOX_BACKOFF_TYPE, delay: OUTBOX_BACKOFF_BASE_MS },
};
