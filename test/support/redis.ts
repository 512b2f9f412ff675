import { randomBytes } from 'node:crypto';
import { dropPrefix as dropRedisPrefix } from '@kraken/testing';

/** Redis URL for tests: the local server unless TEST_REDIS_URL says otherwise. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A BullMQ prefix unique to this test (`kt-<pid>-<random>`), so parallel runs never share keys.
 * Call `dropPrefix` in afterAll to delete every key under it.
 */
export function uniquePrefix(label = 'kt'): string {
  return `${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every Redis key under `prefix` (the harness's dropPrefix, at TEST_REDIS_URL by default). */
export const dropPrefix = (prefix: string, url = TEST_REDIS_URL): Promise<void> => dropRedisPrefix(prefix, url);
