import type { Job } from 'bullmq';
import { jobLogContext, runWithLogContext } from '../logging/log-context';
import { Metrics, type JobOutcome } from '../metrics/metrics';
import { captureJobFailure } from '../sentry/sentry';
import { activeJobs, type JobRun } from './active-jobs';

/** BullMQ's message of Worker.RateLimitError (a job given back because the queue is rate-limited). */
const RATE_LIMIT_ERROR = 'bullmq:rateLimitExceeded';

/**
 * Runs one job's processor `fn` the way every Kraken worker should:
 * - in a log context (jobLogContext: job id, queue, job name, update id, chat id), so every line it
 *   logs carries them;
 * - counted in `kraken_jobs_total{queue,outcome}` and timed in `kraken_job_duration_seconds`, with
 *   the queue wait of a first attempt in `kraken_job_wait_seconds`;
 * - reported to Sentry when it fails for good (captureJobFailure);
 * - tracked in activeJobs while it runs, so a shutdown can wait for it or hand it back; `fn` gets
 *   the job's JobRun (abort signal of a hand-back, and withoutHandBack for calls that must not run
 *   twice).
 * Returns or rethrows what `fn` does, unchanged, so BullMQ's retries and delays work as before.
 *
 * @param token the job's lock token (the processor's second argument)
 */
export async function observeJob<T>(job: Job, token: string | undefined, fn: (run: JobRun) => Promise<T>): Promise<T> {
  const queue = job.queueName;
  if (job.attemptsMade === 0 && job.attemptsStarted <= 1 && job.processedOn) {
    Metrics.jobWait.observe({ queue }, Math.max(0, job.processedOn - job.timestamp - (job.delay ?? 0)) / 1000);
  }
  const { run, untrack } = activeJobs.track(job, token);
  const started = performance.now();
  let outcome: JobOutcome = 'completed';
  try {
    return await runWithLogContext(jobLogContext(job), () => fn(run));
  } catch (error) {
    outcome = outcomeOf(error, job);
    if (outcome === 'failed') captureJobFailure(error, job);
    throw error;
  } finally {
    untrack();
    Metrics.jobDuration.observe({ queue, outcome }, (performance.now() - started) / 1000);
    Metrics.jobs.inc({ queue, outcome });
  }
}

/** Classifies a processor error the way BullMQ will treat it (see Worker.handleFailed). */
function outcomeOf(error: unknown, job: Job): JobOutcome {
  const name = error instanceof Error ? error.name : '';
  if (name === 'DelayedError') return 'delayed';
  if (name === 'WaitingChildrenError') return 'waiting_children';
  if (error instanceof Error && error.message === RATE_LIMIT_ERROR) return 'rate_limited';
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  return name === 'UnrecoverableError' || lastAttempt ? 'failed' : 'retried';
}
