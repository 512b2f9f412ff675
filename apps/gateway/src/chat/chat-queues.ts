import { DEFAULT_JOB_OPTIONS, TEXT_JOB_OPTIONS } from '@kraken/contracts';
import type { JobsOptions } from 'bullmq';

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

/**
 * Options of context jobs: deleted once the entry is in the chat's context (TEXT_JOB_OPTIONS), so their
 * texts are kept only where the prompt reads them; a redelivered update re-stores the same entry.
 */
export const CONTEXT_JOB_OPTIONS: JobsOptions = TEXT_JOB_OPTIONS;
