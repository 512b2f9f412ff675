import { randomUUID } from 'node:crypto';
import type { ClientBase } from 'pg';

/** Name of Prisma's migration history table, unqualified: it lives in the connection's schema. */
export const MIGRATIONS_TABLE = '_prisma_migrations';

/**
 * Prisma's DDL for the history table on PostgreSQL, verbatim in meaning (prisma-engines
 * `schema-engine/connectors/sql-schema-connector/src/flavour/postgres.rs`, `create_migrations_table`).
 */
export const CREATE_MIGRATIONS_TABLE_SQL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

/** One row of `_prisma_migrations`. */
export interface MigrationRecord {
  /** Random UUID v4 (text). */
  id: string;
  /** SHA-256 hex of the script when it was applied. */
  checksum: string;
  /** When the migration finished successfully; null while running or after a failure. */
  finishedAt: Date | null;
  migrationName: string;
  /** Error text of a failed migration; null otherwise. */
  logs: string | null;
  /** Set by `prisma migrate resolve --rolled-back`: the row is then ignored. */
  rolledBackAt: Date | null;
  startedAt: Date;
  /** 1 once the script ran (Prisma counts the whole script as one step), 0 before or on failure. */
  appliedStepsCount: number;
}

/** Whether `_prisma_migrations` exists in the connection's current schema. */
export async function migrationsTableExists(client: ClientBase): Promise<boolean> {
  const result = await client.query<{ exists: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relname = $1 AND n.nspname = current_schema() AND c.relkind IN ('r', 'p')
     ) AS exists`,
    [MIGRATIONS_TABLE],
  );
  return result.rows[0].exists;
}

/** Names of the ordinary tables in the current schema other than `_prisma_migrations`. */
export async function otherTableNames(client: ClientBase): Promise<string[]> {
  const result = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> $1
     ORDER BY c.relname`,
    [MIGRATIONS_TABLE],
  );
  return result.rows.map((row) => row.name);
}

/** Creates `_prisma_migrations` with Prisma's DDL (the caller checked it is missing). */
export async function createMigrationsTable(client: ClientBase): Promise<void> {
  await client.query(CREATE_MIGRATIONS_TABLE_SQL);
}

/** Every row of `_prisma_migrations`, ordered by started_at like Prisma's `list_migrations`. */
export async function listMigrationRecords(client: ClientBase): Promise<MigrationRecord[]> {
  const result = await client.query(
    `SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count
     FROM _prisma_migrations ORDER BY started_at ASC`,
  );
  return result.rows.map((row) => ({
    id: row.id,
    checksum: row.checksum,
    finishedAt: row.finished_at,
    migrationName: row.migration_name,
    logs: row.logs,
    rolledBackAt: row.rolled_back_at,
    startedAt: row.started_at,
    appliedStepsCount: row.applied_steps_count,
  }));
}

/**
 * Records that a migration starts, as Prisma's `record_migration_started` does: a new row with a
 * random UUID v4 id, the checksum, started_at = the caller's clock (UTC) and migration_name; logs,
 * finished_at and rolled_back_at stay NULL and applied_steps_count 0. Runs outside the migration's
 * transaction so the row survives a failure.
 *
 * @returns the new row's id.
 */
export async function recordMigrationStarted(client: ClientBase, name: string, checksum: string): Promise<string> {
  const id = randomUUID();
  await client.query(
    'INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, $3, $4)',
    [id, checksum, new Date(), name],
  );
  return id;
}

/**
 * Marks a migration applied, as Prisma's `record_successful_step` + `record_migration_finished` do:
 * applied_steps_count + 1 and finished_at = the caller's clock. Meant to run inside the migration's
 * transaction, so the schema change and its record commit together.
 */
export async function recordMigrationFinished(client: ClientBase, id: string): Promise<void> {
  await client.query(
    'UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = $2 WHERE id = $1',
    [id, new Date()],
  );
}

/** Stores the error text of a failed migration in its row's `logs`, as Prisma's `record_failed_step` does. */
export async function recordMigrationFailed(client: ClientBase, id: string, logs: string): Promise<void> {
  await client.query('UPDATE _prisma_migrations SET logs = $2 WHERE id = $1', [id, logs]);
}
