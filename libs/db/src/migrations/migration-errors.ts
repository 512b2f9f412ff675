/** Base class of every error the migrator throws on purpose; `message` is meant for an operator. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The migrations folder cannot be used: missing, a folder without migration.sql, or a wrong provider. */
export class MigrationsDirectoryError extends MigrationError {}

/** The migrations table is missing but the schema already has tables (Prisma's P3005). */
export class DatabaseNotEmptyError extends MigrationError {}

/** Another migrator held the advisory lock longer than the allowed wait. */
export class MigrationLockTimeoutError extends MigrationError {}

/** A row of `_prisma_migrations` describing a migration that started but did not finish. */
export interface FailedMigrationRow {
  migrationName: string;
  startedAt: Date;
  logs: string | null;
}

/**
 * The database records a failed migration (finished_at and rolled_back_at both NULL), so no new
 * migration is applied, as Prisma refuses with P3009. Resolve it first: fix the database by hand,
 * then mark the row rolled back (`prisma migrate resolve --rolled-back <name>`, or
 * `UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '<name>' AND finished_at IS NULL`)
 * to retry it, or applied (`prisma migrate resolve --applied <name>`).
 */
export class FailedMigrationsError extends MigrationError {
  constructor(readonly failed: FailedMigrationRow[]) {
    super(
      [
        'Found failed migrations in the database, so new migrations will not be applied (like Prisma P3009).',
        ...failed.map((row) => {
          const logs = row.logs?.trim();
          return `The \`${row.migrationName}\` migration started at ${row.startedAt.toISOString()} failed${
            logs ? ` with the following logs:\n${logs}` : ''
          }`;
        }),
        'Fix the database, then mark the migration rolled back (`prisma migrate resolve --rolled-back <name>`, ' +
          'or set rolled_back_at on its row) to retry it, or applied (`prisma migrate resolve --applied <name>`).',
      ].join('\n'),
    );
  }
}

/** Details of the SQL error that made a migration fail. */
export interface MigrationSqlFailure {
  /** PostgreSQL SQLSTATE, e.g. `42P01`; undefined when the error did not come from the server. */
  code?: string;
  /** The server's (or driver's) message. */
  message: string;
  /** 1-based line of migration.sql where the server located the error, when it did. */
  line?: number;
}

/**
 * Applying one migration failed; its transaction was rolled back and its `_prisma_migrations` row
 * keeps finished_at NULL with the error in `logs` (Prisma's P3018), which blocks later runs until resolved.
 */
export class MigrationFailedError extends MigrationError {
  constructor(
    readonly migrationName: string,
    readonly failure: MigrationSqlFailure,
  ) {
    super(
      `Migration \`${migrationName}\` failed to apply; new migrations cannot be applied before it is resolved.\n` +
        describeMigrationFailure(migrationName, failure),
    );
  }
}

/**
 * The text stored in `_prisma_migrations.logs` for a failed migration, shaped like Prisma's P3018
 * details: migration name, database error code, error message and line.
 */
export function describeMigrationFailure(migrationName: string, failure: MigrationSqlFailure): string {
  return [
    `Migration name: ${migrationName}`,
    `Database error code: ${failure.code ?? 'none'}`,
    `Database error:\n${failure.message}`,
    ...(failure.line ? [`Position: line ${failure.line} of migration.sql`] : []),
  ].join('\n\n');
}
