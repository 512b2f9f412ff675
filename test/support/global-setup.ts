import { Client } from 'pg';
import IORedis from 'ioredis';

/**
 * Fails the run early, with one clear line, when PostgreSQL or Redis is not reachable (tests never
 * fake them). `.ci/run` and scripts/services.sh start both before jest runs.
 */
export default async function globalSetup(): Promise<void> {
  const pgUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const pg = new Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await pg.connect();
    await pg.query('SELECT 1');
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${pgUrl} (run scripts/services.sh): ${String(error)}`);
  } finally {
    await pg.end().catch(() => undefined);
  }
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true, connectTimeout: 3000 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis is not reachable at ${redisUrl} (run scripts/services.sh): ${String(error)}`);
  } finally {
    redis.disconnect();
  }
}
