import IORedis from 'ioredis';

/**
 * Deletes every Redis key starting with `<prefix>:`, `{<prefix>}:` or `{<prefix>:` (the throttler's hash-tagged keys) at `url` (SCAN + UNLINK, never
 * KEYS), e.g. what a test or a benchmark run left under its BullMQ prefix.
 * @throws when Redis is unreachable after ioredis' 3 retries per command
 */
export async function dropPrefix(prefix: string, url: string): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 3 });
  try {
    for (const pattern of [`${prefix}:*`, `{${prefix}:*`, `{${prefix}}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}
