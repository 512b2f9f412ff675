import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RedisClient } from '@kraken/redis';
import { DelayedError, type Job } from 'bullmq';
import { WORKER_REDIS } from '../chat-worker.providers';
import type { LlmWorkerEnv } from '../llm-worker.env';

/** How long a busy user's next question waits before it tries again, in ms. */
export const TURN_RETRY_MS = 300;
/** Lifetime of a lock (renewed every third of it while held), so a crashed worker frees the user, in ms. */
const LOCK_TTL_MS = 30_000;
/** How often a running request looks for a `/cancel`, in ms. */
const CANCEL_POLL_MS = 200;
/** The message of the abort reason a `/cancel` gives the running request's signal. */
export const CANCELLED_BY_USER = 'cancelled by /cancel';
/** How long a `/cancel` mark lives, in s. */
const CANCEL_TTL_S = 600;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** A held turn: its abort signal (a `/cancel` of the user) and release(). */
export interface HeldTurn {
  /** Aborted when the user sends `/cancel` for this request. */
  readonly cancelled: AbortSignal;
  /** Frees the user's turn (idempotent). */
  release(): Promise<void>;
}

/**
 * One assistant request at a time per user, and `/cancel`, with Redis (keys under QUEUE_PREFIX):
 * - `<prefix>:assistant:busy:<user id>` holds the id of the job whose LLM request runs for the user
 *   (`SET NX PX`, renewed while held, freed by a compare-and-delete script; it expires by itself if
 *   the worker dies). A message job that finds it taken by another job is moved back to BullMQ's
 *   delayed set for TURN_RETRY_MS with its lock token and gives its worker slot back (`DelayedError`):
 *   the question waits its turn — not refused, not lost, no worker slot busy-waiting — and is
 *   answered after the running one. Why a lock and not BullMQ groups / one queue per user: groups
 *   are BullMQ Pro only, and a queue per user would need a worker per user; a lock keeps the one
 *   `assistant` queue and its concurrency. Order: a waiting question retries every TURN_RETRY_MS, so
 *   with two questions the second is answered after the first; among several waiting ones the order
 *   is that of their retries (roughly arrival order).
 * - `/cancel` (a `command` job, run by another worker slot while the request runs) writes
 *   `<prefix>:assistant:cancel:<job id>` for the job named by the busy key; the running request
 *   checks for it every CANCEL_POLL_MS and aborts its signal (passed to the LLM call).
 */
@Injectable()
export class AssistantRequestLock {
  private readonly prefix: string;

  constructor(
    @Inject(WORKER_REDIS) private readonly redis: RedisClient,
    config: ConfigService<LlmWorkerEnv, true>,
  ) {
    this.prefix = config.get('QUEUE_PREFIX', { infer: true });
  }

  /**
   * Takes `userId`'s turn for `job`; when another job holds it, moves `job` to the delayed set and throws.
   * @throws DelayedError (not a failure: BullMQ runs the job again after TURN_RETRY_MS); Redis errors
   */
  async take(userId: number, job: Job, token: string): Promise<HeldTurn> {
    const key = this.busyKey(userId);
    const id = String(job.id);
    const taken = await this.redis.set(key, id, 'PX', LOCK_TTL_MS, 'NX');
    if (taken !== 'OK' && (await this.redis.get(key)) !== id) {
      await job.moveToDelayed(Date.now() + TURN_RETRY_MS, token);
      throw new DelayedError();
    }
    const controller = new AbortController();
    const cancelKey = this.cancelKey(id);
    let renewedAt = Date.now();
    const timer = setInterval(() => {
      void (async () => {
        if (Date.now() - renewedAt >= LOCK_TTL_MS / 3) {
          renewedAt = Date.now();
          await this.redis.eval(RENEW, 1, key, id, String(LOCK_TTL_MS));
        }
        if (!controller.signal.aborted && (await this.redis.exists(cancelKey))) controller.abort(new Error(CANCELLED_BY_USER));
      })().catch(() => undefined);
    }, CANCEL_POLL_MS);
    let released = false;
    return {
      cancelled: controller.signal,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        await this.redis.eval(RELEASE, 1, key, id);
        await this.redis.del(cancelKey);
      },
    };
  }

  /**
   * Asks the request running for `userId` to stop. @returns the id of its job, or null when none runs.
   * @throws Redis errors
   */
  async cancel(userId: number): Promise<string | null> {
    const running = await this.redis.get(this.busyKey(userId));
    if (!running) return null;
    await this.redis.set(this.cancelKey(running), '1', 'EX', CANCEL_TTL_S);
    return running;
  }

  private busyKey(userId: number): string {
    return `${this.prefix}:assistant:busy:${userId}`;
  }

  private cancelKey(jobId: string): string {
    return `${this.prefix}:assistant:cancel:${jobId}`;
  }
}
