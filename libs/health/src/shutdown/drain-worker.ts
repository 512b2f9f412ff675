import { activeJobs, Metrics } from '@kraken/observability';
import type { Worker } from 'bullmq';

/** Longest the hand-back of running jobs may take (ms), e.g. while Redis does not answer. */
const HAND_BACK_TIMEOUT_MS = 3000;

/** Outcome of drainWorker. */
export interface DrainResult {
  /** True when every running job finished within the grace period. */
  finished: boolean;
  /** Ids of the jobs given back to the queue because the grace period ran out. */
  handedBack: string[];
}

/**
 * Stops a BullMQ worker the graceful way: `worker.close()` stops taking jobs (it interrupts the
 * blocking fetch) and waits for the running ones to finish and complete in Redis. When that takes
 * longer than `graceMs`, the jobs still running (tracked by observeJob) are handed back to the
 * queue's wait list at once (ActiveJobs.handBack), so another worker runs them; their processors
 * here are abandoned when the process exits, which is safe because Kraken's jobs are idempotent
 * (stats facts have natural keys, outbox calls sent markers). Nothing is lost either way, and no job
 * is run twice unless it outlived the grace period.
 *
 * @param graceMs how long running jobs may take, in ms
 */
export async function drainWorker(worker: Worker, graceMs: number): Promise<DrainResult> {
  let timer: NodeJS.Timeout | undefined;
  const closed = worker.close().then(
    () => true,
    () => true,
  );
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), graceMs);
  });
  const finished = await Promise.race([closed, expired]);
  clearTimeout(timer);
  if (finished) return { finished, handedBack: [] };
  const handedBack = await Promise.race([
    activeJobs.handBack(worker.qualifiedName),
    new Promise<string[]>((resolve) => setTimeout(() => resolve([]), HAND_BACK_TIMEOUT_MS).unref()),
  ]);
  if (handedBack.length) Metrics.jobsHandedBack.inc({ queue: worker.name }, handedBack.length);
  return { finished, handedBack };
}
