import { activeJobs, Metrics, type HandBackResult } from '@kraken/observability';
import type { Worker } from 'bullmq';

/**
 * Longest a hand-back waits for Bot API calls still in flight (ms). With HAND_BACK_TIMEOUT_MS it stays
 * under the 5 s a shutdown may run past its grace period before it is cut short (installGracefulShutdown).
 */
export const IN_FLIGHT_WAIT_MS = 3000;
/** Longest the hand-back of running jobs may take in Redis after that (ms), e.g. while Redis does not answer. */
const HAND_BACK_TIMEOUT_MS = 1500;

/** Outcome of drainWorker. */
export interface DrainResult {
  /** True when every running job finished within the grace period. */
  finished: boolean;
  /** Ids of the jobs given back to the queue because the grace period ran out. */
  handedBack: string[];
  /** Ids of jobs that ended here during the hand-back (their in-flight call settled first). */
  ended: string[];
  /** Ids of jobs left locked because a call of theirs was still in flight (see ActiveJobs.handBack). */
  inFlight: string[];
}

/**
 * Stops a BullMQ worker the graceful way: `worker.close()` stops taking jobs (it interrupts the
 * blocking fetch) and waits for the running ones to finish and complete in Redis. When that takes
 * longer than `graceMs`, the jobs still running (tracked by observeJob) are handed back to the
 * queue's wait list (ActiveJobs.handBack), so another worker runs them at once, and their runs here
 * are aborted (JobRun.signal). A job whose Bot API call is in flight is handed back only after that
 * call settled and its result was stored (at most IN_FLIGHT_WAIT_MS), so the other worker's re-run
 * returns the stored result instead of sending again; it is never run twice in effect.
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
  if (finished) return { finished, handedBack: [], ended: [], inFlight: [] };
  const result = await Promise.race([
    activeJobs.handBack(worker.qualifiedName, IN_FLIGHT_WAIT_MS),
    new Promise<HandBackResult>((resolve) => setTimeout(() => resolve({ handedBack: [], ended: [], inFlight: [] }), IN_FLIGHT_WAIT_MS + HAND_BACK_TIMEOUT_MS).unref()),
  ]);
  if (result.handedBack.length) Metrics.jobsHandedBack.inc({ queue: worker.name }, result.handedBack.length);
  return { finished, ...result };
}
