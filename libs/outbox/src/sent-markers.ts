import type { RedisClient } from '@kraken/redis';
import { sentMarkerKey } from './outbox-keys';

/** How long a sent marker is kept, in seconds (24 h: longer than any stall/retry of a completed call). */
export const SENT_MARKER_TTL_SECONDS = 24 * 3600;

/** A stored Telegram result, or `found: false` when the job was never accepted by Telegram. */
export type SentMarker = { found: true; result: unknown } | { found: false };

/**
 * "Telegram already accepted this job" markers: `<prefix>:outbox:sent:<jobId>` holds the call's
 * result as JSON for 24 h. The worker writes it right after Telegram answered ok and before the job
 * completes; a re-run of the same job id (stalled after a crash, re-enqueued) finds it and returns
 * the stored result instead of calling Telegram again.
 */
export class SentMarkers {
  /**
   * @param redis a dedicated ioredis client (the caller owns and closes it)
   * @param prefix the outbox queue's BullMQ prefix
   */
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /** Reads the marker of `jobId`. @throws the Redis error when Redis cannot be reached. */
  async get(jobId: string): Promise<SentMarker> {
    const raw = await this.redis.get(sentMarkerKey(this.prefix, jobId));
    return raw === null ? { found: false } : { found: true, result: JSON.parse(raw) as unknown };
  }

  /** Stores Telegram's `result` for `jobId` (undefined is stored as null). @throws the Redis error. */
  async set(jobId: string, result: unknown): Promise<void> {
    await this.redis.set(sentMarkerKey(this.prefix, jobId), JSON.stringify(result ?? null), 'EX', SENT_MARKER_TTL_SECONDS);
  }
}
