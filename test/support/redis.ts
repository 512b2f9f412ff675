import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';

/** Redis URL for tests: the local server unless TEST_REDIS_URL says otherwise. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A BullMQ prefix unique to this test (`kt-<pid>-<random>`), so parallel runs never share keys.
 * Call `dropPrefix` in afterAll to delete every key under it.
 */
export function uniquePrefix(label = 'kt'): string {
  return `${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every Redis key starting with `<prefix>:` (SCAN + UNLINK; never KEYS). */
export async function dropPrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 3 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
