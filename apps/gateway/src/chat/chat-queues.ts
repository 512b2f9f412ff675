import { ChatQueueName, DEFAULT_JOB_OPTIONS } from '@kraken/contracts';
import type { JobsOptions } from 'bullmq';

/** Queues the gateway's chat handlers produce into. */
export const CHAT_QUEUES = [ChatQueueName.Answers, ChatQueueName.Context] as const;

/**
 * Options of answer and command jobs: few attempts (an LLM failure is final and answered with an
 * apology; retries only cover crashes and Redis/PostgreSQL hiccups), kept a day so the job id
 * dedupes redelivered updates.
 */
export const ANSWER_JOB_OPTIONS: JobsOptions = {
  ...DEFAULT_JOB_OPTIONS,
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
};

/** Options of context jobs: Kraken's defaults (8 attempts with back-off, kept a day for dedupe). */
export const CONTEXT_JOB_OPTIONS: JobsOptions = { ...DEFAULT_JOB_OPTIONS, removeOnComplete: { age: 3600, count: 50_000 } };
