import type { Job } from 'bullmq';

/** The abort reason of a job handed back at shutdown (`signal.reason` of its JobRun). */
export class JobHandedBackError extends Error {
  override name = 'JobHandedBackError';
}

/**
 * What a running job's processor gets from observeJob, to be stoppable at shutdown:
 * - `signal` aborts (reason JobHandedBackError) once the job was handed back to the queue: another
 *   worker runs it now, so this run must stop at once and change nothing more (pass it to every
 *   wait and check it before every external effect);
 * - `withoutHandBack(fn)` runs an external call that must not run twice (a Bot API call and the
 *   write of its result): while `fn` runs the job is not handed back; a hand-back due meanwhile
 *   waits for `fn` to settle. Called once a hand-back has begun, it does not start `fn` and rejects
 *   with the abort reason as soon as the job is handed back.
 */
export interface JobRun {
  readonly signal: AbortSignal;
  withoutHandBack<T>(fn: () => Promise<T>): Promise<T>;
}

/** Outcome of ActiveJobs.handBack. */
export interface HandBackResult {
  /** Jobs moved back to the wait list (their runs here were then aborted). */
  handedBack: string[];
  /** Jobs that ended here during the hand-back (e.g. after their in-flight call settled). */
  ended: string[];
  /** Jobs left locked because a call of theirs was still in flight after the wait (see handBack). */
  inFlight: string[];
}

/**
 * One running job. A class, not an object literal with getters: a literal with accessors is built
 * through a slow runtime path on every job, which cost more than a stats job's own work.
 */
class Running {
  /** Calls in flight (withoutHandBack), and a waiter woken when the last one settles. */
  calls = 0;
  idle: Array<() => void> = [];
  /** Set when a hand-back began: no new call may start. */
  handingBack = false;
  /** False once the processor returned (untrack). */
  tracked = true;
  private abortController: AbortController | undefined;

  constructor(
    readonly job: Job,
    readonly token: string,
  ) {}

  /**
   * Made when first needed (a hand-back, or a processor reading its signal): most jobs never need it,
   * and making one costs more than a stats job's own work.
   */
  get controller(): AbortController {
    return (this.abortController ??= new AbortController());
  }
}

/** The JobRun of a tracked job (see JobRun). */
class TrackedRun implements JobRun {
  constructor(
    private readonly entry: Running,
    private readonly jobs: ActiveJobs,
  ) {}

  get signal(): AbortSignal {
    return this.entry.controller.signal;
  }

  withoutHandBack<T>(fn: () => Promise<T>): Promise<T> {
    return this.jobs.withoutHandBack(this.entry, fn);
  }
}

/** How long a hand-back gives a processor whose in-flight call just settled to return on its own (ms). */
const AFTER_CALL_MS = 250;

/**
 * The jobs this process is running right now, per queue (`<prefix>:<queue>`, BullMQ's qualified
 * name), with the lock token each was taken with. Filled by observeJob; read at shutdown to know
 * when a worker is idle and to give back the jobs still running when the grace period is over,
 * never while one of their Bot API calls is in flight (JobRun.withoutHandBack).
 */
export class ActiveJobs {
  private readonly byQueue = new Map<string, Map<string, Running>>();

  /**
   * Records that `job` started with lock `token`.
   * @returns its JobRun and the function that forgets it (call it when the processor returned)
   */
  track(job: Job, token: string | undefined): { run: JobRun; untrack: () => void } {
    const key = job.queueQualifiedName;
    const id = job.id;
    if (!id || !token) return { run: { signal: new AbortController().signal, withoutHandBack: (fn) => fn() }, untrack: () => undefined };
    let running = this.byQueue.get(key);
    if (!running) this.byQueue.set(key, (running = new Map()));
    const entry = new Running(job, token);
    running.set(id, entry);
    return {
      run: new TrackedRun(entry, this),
      untrack: () => {
        entry.tracked = false;
        if (running.get(id) === entry) running.delete(id);
      },
    };
  }

  /** Number of jobs of queue `qualifiedName` running in this process. */
  count(qualifiedName: string): number {
    return this.byQueue.get(qualifiedName)?.size ?? 0;
  }

  /**
   * Hands every job of `qualifiedName` still running here back to the queue, so another worker takes
   * it over at once (BullMQ `job.moveToWait(token)`: checks the lock is still ours, releases it, puts
   * the job at the head of the wait list; no waiting for the lock to expire, no stall counted), then
   * aborts its run here (JobRun.signal), so the two runs never overlap in effects:
   * 1. no new in-flight call may start (withoutHandBack waits for the abort);
   * 2. a job with a call in flight is handed back only once that call settled (within
   *    `inFlightWaitMs`) and its processor did not return within 250 ms after it: its result is
   *    stored by then (e.g. the outbox's sent marker), so the re-run returns it instead of calling
   *    again; a processor that returned is left to BullMQ, which completes its job. A call still in
   *    flight after the wait leaves its job locked (not handed back, reported in `inFlight`): when
   *    the process is gone its lock expires and BullMQ's stalled-job check gives it to another worker;
   * 3. a job that completed meanwhile (lock gone) is skipped.
   * @param inFlightWaitMs longest wait for in-flight calls, in ms
   */
  async handBack(qualifiedName: string, inFlightWaitMs: number): Promise<HandBackResult> {
    const running = [...(this.byQueue.get(qualifiedName)?.values() ?? [])];
    for (const entry of running) entry.handingBack = true;
    const outcomes = await Promise.all(
      running.map(async (entry): Promise<'handed' | 'in-flight' | 'gone'> => {
        if (entry.calls > 0) {
          if (!(await this.settled(entry, inFlightWaitMs))) return 'in-flight';
          // Let the processor finish with the call's result (store it, return); BullMQ then completes it.
          await new Promise((resolve) => setTimeout(resolve, AFTER_CALL_MS));
        }
        if (!entry.tracked) {
          entry.controller.abort(new JobHandedBackError(`job ${entry.job.id} ended during the hand-back`));
          return 'gone';
        }
        try {
          await entry.job.moveToWait(entry.token);
          return 'handed';
        } catch {
          return 'gone';
        } finally {
          entry.controller.abort(new JobHandedBackError(`job ${entry.job.id} was handed back to the queue at shutdown`));
        }
      }),
    );
    const ids = (wanted: string) => running.filter((_, i) => outcomes[i] === wanted).map((entry) => String(entry.job.id));
    return { handedBack: ids('handed'), ended: ids('gone'), inFlight: ids('in-flight') };
  }

  /** JobRun.withoutHandBack of `entry` (see JobRun). */
  async withoutHandBack<T>(entry: Running, fn: () => Promise<T>): Promise<T> {
    if (entry.handingBack || entry.controller.signal.aborted) {
      const signal = entry.controller.signal;
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
      throw signal.reason;
    }
    entry.calls++;
    try {
      return await fn();
    } finally {
      entry.calls--;
      if (entry.calls === 0) for (const wake of entry.idle.splice(0)) wake();
    }
  }

  /** Resolves true once `entry` has no call in flight, false when `ms` passed first. */
  private settled(entry: Running, ms: number): Promise<boolean> {
    if (entry.calls === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      entry.idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/** This process's running jobs (one registry per process). */
export const activeJobs = new ActiveJobs();
