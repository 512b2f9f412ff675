import type { Client } from 'pg';
import { scriptMatchesChecksum } from './checksum';
import { acquireMigrationLock, releaseMigrationLock } from './advisory-lock';
import { openMigrationConnection } from './migration-connection';
import {
  DatabaseNotEmptyError,
  FailedMigrationsError,
  MigrationFailedError,
  describeMigrationFailure,
} from './migration-errors';
import { LocalMigration, readLocalMigrations } from './migration-files';
import {
  MigrationRecord,
  createMigrationsTable,
  listMigrationRecords,
  migrationsTableExists,
  otherTableNames,
  recordMigrationFailed,
  recordMigrationFinished,
  recordMigrationStarted,
} from './migrations-table';
import { sqlFailureOf } from './sql-failure';

/** Options of applyMigrations. */
export interface ApplyMigrationsOptions {
  /** PostgreSQL URL; an optional `?schema=NAME` selects the schema as Prisma does. */
  databaseUrl: string;
  /** Folder in Prisma's format: `<timestamp>_<name>/migration.sql` + `migration_lock.toml`. */
  migrationsDir: string;
  /** Receives progress lines and warnings (one line each, no newline); default: stderr. */
  log?: (line: string) => void;
  /** Longest wait for another migrator's lock, in milliseconds; default 120000. */
  lockTimeoutMs?: number;
}

/** What applyMigrations did. */
export interface ApplyMigrationsResult {
  /** Migrations applied by this call, in order. */
  applied: string[];
  /** Local migrations that were already recorded as applied, in order. */
  alreadyApplied: string[];
  /** Warnings also sent to `log`: edited applied migrations, applied migrations missing locally. */
  warnings: string[];
}

const DEFAULT_LOCK_TIMEOUT_MS = 120_000;

/**
 * Applies the pending migrations of `migrationsDir` and records them in `_prisma_migrations` exactly
 * as `prisma migrate deploy` does, so Prisma later sees them as applied (and the other way round).
 *
 * Steps, mirroring prisma-engines `schema-engine/core/src/commands/apply_migrations.rs`:
 * 1. take Prisma's advisory lock (`pg_advisory_lock(72707369)`) on one connection, so concurrent runs
 *    of this function, or of this and Prisma, serialise; the later one then finds nothing to do;
 * 2. create `_prisma_migrations` with Prisma's DDL if missing, refusing (like P3005) when the schema
 *    already has other tables, which needs baselining (`prisma migrate resolve --applied`);
 * 3. refuse (like P3009) while any row has finished_at and rolled_back_at both NULL;
 * 4. warn about applied migrations whose file changed (Prisma's "was modified after it was applied",
 *    line-ending tolerant) and applied migrations missing locally;
 * 5. apply each local migration without a non-rolled-back row, in folder-name order: insert its row
 *    (outside the transaction), then run the script and mark the row finished in one transaction.
 *    On error the transaction rolls back and the row keeps the error in `logs` (like P3018).
 *
 * A script containing its own COMMIT or statements that cannot run in a transaction block (e.g.
 * CREATE INDEX CONCURRENTLY) loses that atomicity, as it would under Prisma.
 *
 * @throws MigrationsDirectoryError, DatabaseNotEmptyError, FailedMigrationsError, MigrationFailedError,
 *   MigrationLockTimeoutError, or MigrationError when the database cannot be reached.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const local = readLocalMigrations(options.migrationsDir);
  const client = await openMigrationConnection(options.databaseUrl);
  try {
    await acquireMigrationLock(client, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
    try {
      return await applyUnderLock(client, local, log);
    } finally {
      await releaseMigrationLock(client).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Everything after the lock is held: history checks, warnings, then each pending migration. */
async function applyUnderLock(
  client: Client,
  local: LocalMigration[],
  log: (line: string) => void,
): Promise<ApplyMigrationsResult> {
  await ensureMigrationsTable(client);
  const records = await listMigrationRecords(client);
  const failed = records.filter((row) => row.finishedAt === null && row.rolledBackAt === null);
  if (failed.length > 0) throw new FailedMigrationsError(failed);

  const live = records.filter((row) => row.rolledBackAt === null);
  const warnings = historyWarnings(local, live);
  warnings.forEach((warning) => log(`warning: ${warning}`));

  const appliedNames = new Set(live.map((row) => row.migrationName));
  const alreadyApplied = local.filter((m) => appliedNames.has(m.name)).map((m) => m.name);
  const applied: string[] = [];
  for (const migration of local.filter((m) => !appliedNames.has(m.name))) {
    log(`applying migration \`${migration.name}\``);
    await applyOne(client, migration);
    applied.push(migration.name);
  }
  return { applied, alreadyApplied, warnings };
}

/** Creates the history table when missing; refuses on a non-empty schema without history. */
async function ensureMigrationsTable(client: Client): Promise<void> {
  if (await migrationsTableExists(client)) return;
  const tables = await otherTableNames(client);
  if (tables.length > 0) {
    throw new DatabaseNotEmptyError(
      `the database schema is not empty (tables: ${tables.slice(0, 10).join(', ')}${tables.length > 10 ? ', …' : ''}) ` +
        'but has no _prisma_migrations table (like Prisma P3005); baseline it first: mark the migrations it ' +
        'already contains as applied with `prisma migrate resolve --applied <name>`',
    );
  }
  await createMigrationsTable(client);
}

/** Warnings about the recorded history versus the folder (Prisma warns the same in `migrate dev`/`status`). */
function historyWarnings(local: LocalMigration[], live: MigrationRecord[]): string[] {
  const warnings: string[] = [];
  const byName = new Map(local.map((m) => [m.name, m]));
  for (const row of live) {
    const file = byName.get(row.migrationName);
    if (!file) {
      warnings.push(
        `migration \`${row.migrationName}\` is recorded as applied in the database but missing from the migrations folder`,
      );
    } else if (!scriptMatchesChecksum(file.script, row.checksum)) {
      warnings.push(
        `migration \`${row.migrationName}\` was modified after it was applied ` +
          `(recorded checksum ${row.checksum}, file checksum ${file.checksum}); it is not re-applied`,
      );
    }
  }
  return warnings;
}

/** Records, runs and finishes one migration; on failure rolls back, stores the logs and throws. */
async function applyOne(client: Client, migration: LocalMigration): Promise<void> {
  const id = await recordMigrationStarted(client, migration.name, migration.checksum);
  try {
    await client.query('BEGIN');
    await client.query(migration.script);
    await recordMigrationFinished(client, id);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const failure = sqlFailureOf(error, migration.script);
    // If even this fails (connection lost), the row still reads as failed: finished_at stays NULL.
    await recordMigrationFailed(client, id, describeMigrationFailure(migration.name, failure)).catch(() => undefined);
    throw new MigrationFailedError(migration.name, failure);
  }
}
