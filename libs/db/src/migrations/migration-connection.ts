import { Client } from 'pg';
import { MigrationError } from './migration-errors';

/** application_name of the migrator's session, visible in pg_stat_activity / pg_locks. */
export const MIGRATOR_APPLICATION_NAME = 'kraken-migrate';

/**
 * Opens the single connection the migrator uses for the lock, the history and every script.
 * A `?schema=NAME` parameter in the URL (Prisma's way to pick a PostgreSQL schema) is honoured as
 * Prisma does: the schema is created when missing and becomes the search_path, so
 * `_prisma_migrations` and the migrations' objects land in it. Without it, the server's default
 * search_path applies (normally `public`).
 *
 * @param databaseUrl `postgresql://user[:password]@host:port/database[?schema=NAME&...]`.
 * @throws MigrationError naming the server and database (never the password) when connecting fails.
 */
export async function openMigrationConnection(databaseUrl: string): Promise<Client> {
  const schema = schemaParameter(databaseUrl);
  const client = new Client({ connectionString: databaseUrl, application_name: MIGRATOR_APPLICATION_NAME });
  try {
    await client.connect();
    if (schema) {
      const quoted = `"${schema.replace(/"/g, '""')}"`;
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
      await client.query(`SET search_path TO ${quoted}`);
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new MigrationError(`cannot connect to ${redactUrl(databaseUrl)}: ${(error as Error).message}`);
  }
  return client;
}

/** The `schema` query parameter of a connection URL, or undefined. */
function schemaParameter(databaseUrl: string): string | undefined {
  try {
    return new URL(databaseUrl).searchParams.get('schema') ?? undefined;
  } catch {
    return undefined;
  }
}

/** The URL with its password replaced by `***`, for messages. */
export function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparsable database URL>';
  }
}
