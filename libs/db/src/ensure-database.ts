import { Client } from 'pg';

/** PostgreSQL's "database does not exist" error code (invalid_catalog_name). */
const DATABASE_MISSING = '3D000';

/**
 * Creates the database named in `databaseUrl` when it does not exist yet (connecting to the server's
 * `postgres` database to do so). Returns true when it created it. Other connection errors are thrown.
 */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const probe = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await probe.connect();
    return false;
  } catch (error) {
    if ((error as { code?: string }).code !== DATABASE_MISSING) throw error;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42P04') throw error; // created meanwhile by another process
  } finally {
    await admin.end();
  }
  return true;
}
