import type { Job } from 'bullmq';

interface Running {
  job: Job;
  token: string;
}

/**
 * The jobs this process is running right now, per queue (`<prefix>:<queue>`, BullMQ's qualified
 * name), with the lock token each was taken with. Filled by observeJob; read at shutdown to know
 * when a worker is idle and to give back the jobs still running when the grace period is over.
 */
export class ActiveJobs {
  private readonly byQueue = new Map<string, Map<string, Running>>();

  /** Records that `job` started with lock `token`; returns the function that forgets it. */
  track(job: Job, token: string | undefined): () => void {
    const key = job.queueQualifiedName;
    const id = job.id;
    if (!id || !token) return () => undefined;
    let running = this.byQueue.get(key);
    if (!running) this.byQueue.set(key, (running = new Map()));
    const entry = { job, token };
    running.set(id, entry);
    return () => {
      if (running.get(id) === entry) running.delete(id);
    };
  }

  /** Number of jobs of queue `qualifiedName` running in this process. */
  count(qualifiedName: string): number {
    return this.byQueue.get(qualifiedName)?.size ?? 0;
  }

  /**
   * Moves every job of `qualifiedName` still running here back to the queue's wait list (BullMQ
   * `job.moveToWait(token)`: checks the lock is still ours, releases it, puts the job at the head of
   * the list) so another worker takes it over at once, without waiting for the lock to expire and
   * without counting a stall. A job that finished meanwhile (lock gone) is skipped.
   * @returns the ids of the jobs handed back
   */
  async handBack(qualifiedName: string): Promise<string[]> {
    const running = [...(this.byQueue.get(qualifiedName)?.values() ?? [])];
    const handed = await Promise.all(
      running.map(async ({ job, token }) => {
        try {
          await job.moveToWait(token);
          return job.id;
        } catch {
          return undefined;
        }
      }),
    );
    return handed.filter((id): id is string => id !== undefined);
  }
}

/** This process's running jobs (one registry per process). */
export const activeJobs = new ActiveJobs();
