import type { RedisClient } from '@kraken/redis';

/**
 * Claims the "notice sent" marker `key` for `owner` (the job or update that sends the notice) for
 * `seconds`, so a notice goes out at most once per window however many triggers ask for it: `SET NX
 * EX`, and when the marker exists, whether `owner` set it (a retried job that set it still sends; its
 * outbox job id keeps the send single).
 * @returns true when `owner` holds the marker and may send
 * @throws the Redis error
 */
export async function claimNotice(redis: RedisClient, key: string, owner: string, seconds: number): Promise<boolean> {
  if ((await redis.set(key, owner, 'EX', Math.max(1, Math.ceil(seconds)), 'NX')) !== null) return true;
  return (await redis.get(key)) === owner;
}
