import type { Job, QueueEvents } from 'bullmq';

/**
 * Waits for an outbox job's result (Telegram's `result`) through `events` (BullMQ
 * job.waitUntilFinished), or until `signal` aborts: a job run that was handed back at shutdown
 * (JobRun.signal) stops waiting at once; the outbox job itself stays queued and is not affected.
 * @throws Error with the job's failure reason, or "… timed out …" after `timeoutMs`; `signal.reason`
 *   when it aborted first
 */
export function waitForOutboxResult<T>(job: Job, events: QueueEvents, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  const finished = job.waitUntilFinished(events, timeoutMs) as Promise<T>;
  if (!signal) return finished;
  if (signal.aborted) return Promise.reject(signal.reason);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  finished.catch(() => undefined); // its rejection after an abort is nobody's concern
  return Promise.race([finished, aborted]).finally(() => signal.removeEventListener('abort', onAbort!));
}
