import type { ClientBase } from 'pg';
import { MigrationLockTimeoutError } from './migration-errors';

/**
 * The advisory lock key Prisma Migrate takes on PostgreSQL before touching the history
 * (`SELECT pg_advisory_lock(72707369)`, prisma-engines
 * `schema-engine/connectors/sql-schema-connector/src/flavour/postgres.rs`, `acquire_lock`). Taking the
 * same key keeps Kraken's migrator and `prisma migrate deploy` from ever running at once.
 */
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;

/** SQLSTATE `lock_not_available`, raised when lock_timeout expires. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Takes the session-level migration lock on `client`, waiting at most `timeoutMs` milliseconds
 * (PostgreSQL's lock_timeout applies to advisory locks). The lock is held until
 * releaseMigrationLock or until the connection closes. Prisma itself gives up after 10 s.
 *
 * @throws MigrationLockTimeoutError naming the holder's pid and application_name when the wait times out.
 */
export async function acquireMigrationLock(client: ClientBase, timeoutMs: number): Promise<void> {
  await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
  } catch (error) {
    if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) {
      throw new MigrationLockTimeoutError(
        `waited ${timeoutMs} ms for the migration lock pg_advisory_lock(${PRISMA_MIGRATE_LOCK_KEY}), ` +
          `held by ${await describeLockHolder(client)}; another \`kraken migrate\` or \`prisma migrate\` is running`,
      );
    }
    throw error;
  } finally {
    await client.query('RESET lock_timeout').catch(() => undefined);
  }
}

/** Releases the session-level migration lock taken by acquireMigrationLock. */
export async function releaseMigrationLock(client: ClientBase): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
}

/** "pid N (application)" of the session holding the lock, or "an unknown session". */
async function describeLockHolder(client: ClientBase): Promise<string> {
  try {
    // A bigint advisory key is stored as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
    const result = await client.query<{ pid: number; application_name: string }>(
      `SELECT l.pid, a.application_name FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [PRISMA_MIGRATE_LOCK_KEY],
    );
    const holder = result.rows[0];
    return holder ? `pid ${holder.pid} (${holder.application_name || 'no application_name'})` : 'an unknown session';
  } catch {
    return 'an unknown session';
  }
}
