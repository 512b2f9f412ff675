import { isRegisteredQueue, jobNamesOf } from './job-registry';

/** A worker's handler map does not match the jobs its queue carries; `message` is one line. */
export class JobHandlersError extends Error {
  override name = 'JobHandlersError';
}

/**
 * Checks a worker's handler map against the registry before the worker starts: every job queue
 * `queue` carries needs exactly one handler, and no handler may name a job the queue does not carry
 * (a typo or a job moved to another queue). `started` holds the queues this process already runs a
 * worker for: a second worker of the same queue would register every handler twice.
 * @throws JobHandlersError with one line such as
 *   `queue "stats": no handler for job(s) purge-texts; handler(s) for unknown job(s) purge`
 */
export function checkHandlers(queue: string, handlers: Record<string, unknown>, started: ReadonlySet<string> = new Set()): void {
  if (!isRegisteredQueue(queue)) throw new JobHandlersError(`queue "${queue}" is not in the job registry (JOBS in @kraken/queue)`);
  if (started.has(queue)) throw new JobHandlersError(`queue "${queue}": duplicate worker, its handlers are already registered in this process`);
  const expected: string[] = jobNamesOf(queue);
  const given = Object.keys(handlers);
  const missing = expected.filter((name) => typeof handlers[name] !== 'function');
  const unknown = given.filter((name) => !expected.includes(name));
  const problems = [
    ...(missing.length ? [`no handler for job(s) ${missing.join(', ')}`] : []),
    ...(unknown.length ? [`handler(s) for unknown job(s) ${unknown.join(', ')}`] : []),
  ];
  if (problems.length) throw new JobHandlersError(`queue "${queue}": ${problems.join('; ')}`);
}
