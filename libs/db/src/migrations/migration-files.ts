import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { migrationChecksum } from './checksum';
import { MigrationsDirectoryError } from './migration-errors';

/** File name of a migration's script inside its folder (Prisma: `migration.sql`). */
export const MIGRATION_SCRIPT_FILE = 'migration.sql';

/** File name of the lock file at the top of the migrations folder (Prisma: `migration_lock.toml`). */
export const MIGRATION_LOCK_FILE = 'migration_lock.toml';

/** The provider this migrator speaks; `migration_lock.toml` must name it when present. */
export const MIGRATION_PROVIDER = 'postgresql';

/** One migration folder read from disk. */
export interface LocalMigration {
  /** Folder name, `<timestamp>_<name>`; also the `migration_name` recorded in `_prisma_migrations`. */
  name: string;
  /** Contents of `migration.sql`, decoded as UTF-8. */
  script: string;
  /** Prisma's checksum of `script` (see migrationChecksum). */
  checksum: string;
}

/**
 * Reads a migrations folder the way Prisma's CLI does (prisma 7 `listMigrations`): every direct
 * subfolder is a migration, sorted by `String.prototype.localeCompare` of its name, and must hold a
 * `migration.sql`, read as UTF-8. When `migration_lock.toml` exists its `provider = "…"` line must say
 * `postgresql` (Prisma's P3019 otherwise); a missing lock file is accepted, as Prisma accepts it.
 *
 * @param migrationsDir absolute or cwd-relative path of e.g. `prisma/migrations`.
 * @returns the migrations in the order they are applied.
 * @throws MigrationsDirectoryError when the folder is missing, a migration folder has no readable
 *   migration.sql, or the lock file names another provider.
 */
export function readLocalMigrations(migrationsDir: string): LocalMigration[] {
  if (!existsSync(migrationsDir) || !statSync(migrationsDir).isDirectory()) {
    throw new MigrationsDirectoryError(`migrations folder not found: ${migrationsDir}`);
  }
  checkLockFile(migrationsDir);
  const names = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  return names.map((name) => {
    const file = join(migrationsDir, name, MIGRATION_SCRIPT_FILE);
    let script: string;
    try {
      script = readFileSync(file, 'utf8');
    } catch (error) {
      throw new MigrationsDirectoryError(
        `migration \`${name}\` has no readable ${MIGRATION_SCRIPT_FILE} (${file}): ${(error as Error).message}`,
      );
    }
    return { name, script, checksum: migrationChecksum(script) };
  });
}

/** Throws when migration_lock.toml exists and names a provider other than postgresql. */
function checkLockFile(migrationsDir: string): void {
  const file = join(migrationsDir, MIGRATION_LOCK_FILE);
  if (!existsSync(file)) return;
  const line = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .find((candidate) => candidate.startsWith('provider'));
  const provider = line?.replace(/^provider\s*=\s*/, '').trim().replace(/^"|"$/g, '') ?? '<PROVIDER NOT FOUND>';
  if (provider !== MIGRATION_PROVIDER) {
    throw new MigrationsDirectoryError(
      `${file} says provider = "${provider}", but these migrations are applied to ${MIGRATION_PROVIDER}`,
    );
  }
}
