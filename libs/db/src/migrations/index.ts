/** Kraken's migrator: applies prisma/migrations and records them in `_prisma_migrations` as Prisma does. */
export { applyMigrations } from './migrator';
export type { ApplyMigrationsOptions, ApplyMigrationsResult } from './migrator';
export { migrationChecksum, scriptMatchesChecksum } from './checksum';
export { readLocalMigrations } from './migration-files';
export type { LocalMigration } from './migration-files';
export { PRISMA_MIGRATE_LOCK_KEY } from './advisory-lock';
export { CREATE_MIGRATIONS_TABLE_SQL, MIGRATIONS_TABLE } from './migrations-table';
export type { MigrationRecord } from './migrations-table';
export {
  DatabaseNotEmptyError,
  FailedMigrationsError,
  MigrationError,
  MigrationFailedError,
  MigrationLockTimeoutError,
  MigrationsDirectoryError,
} from './migration-errors';
export type { FailedMigrationRow, MigrationSqlFailure } from './migration-errors';
