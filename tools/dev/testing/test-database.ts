import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Client } from 'pg';
import { applyMigrations } from '@kraken/db';

/**
 * Per-test PostgreSQL databases on the local server.
 *
 * createTestDatabase() clones a template database that already holds every migration of
 * prisma/migrations, which takes a few milliseconds instead of re-running the migrations:
 * - the template is named `kraken_tpl_<hash>`, where <hash> covers every file under
 *   prisma/migrations (paths and contents), so editing or adding a migration makes a new template;
 * - it is built once per server and migrations state: the first caller takes an advisory lock on the
 *   admin database, builds `<template>_build` with the real migrator (applyMigrations) and renames it
 *   into place, so a crashed build never leaves a half-migrated template; concurrent callers (jest
 *   workers, other checkouts) wait on the lock and then reuse it;
 * - the template's COMMENT records when it was last used; templates (and leftover builds) not used
 *   for a day are dropped by the next caller, whatever checkout they came from.
 * Each test database is `kraken_test_<pid>_<random>`, dropped WITH (FORCE) by drop().
 * The server comes from TEST_PG_ADMIN_URL (a superuser, or a role with CREATEDB that owns the templates).
 */

/** URL of the maintenance database used to create and drop databases. */
export const TEST_PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** The project's migrations folder (prisma/migrations of the Kraken package this file belongs to, run from source or from dist/). */
export const MIGRATIONS_DIR = join(packageRoot(__dirname), 'prisma', 'migrations');

/** A database created for one test (or test file). */
export interface TestDatabase {
  /** Connection URL: the admin URL with the database name replaced. */
  url: string;
  /** Database name, `kraken_test_<pid>_<random>` by default. */
  name: string;
  /** Drops the database WITH (FORCE), closing any connection left open; safe to call twice. */
  drop(): Promise<void>;
}

const TEMPLATE_PREFIX = 'kraken_tpl_';
/** Bump to force new templates when the way they are built changes. */
const TEMPLATE_FORMAT = 'kraken-test-template-v1';
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
const COMMENT_PREFIX = 'kraken test template, last used ';
/** SQLSTATE object_in_use: a database still has sessions (e.g. a migrator's backend still exiting). */
const OBJECT_IN_USE = '55006';

const templates = new Map<string, Promise<string>>();

/**
 * Creates a uniquely named database holding every migration of prisma/migrations, cloned from the
 * template described above (built on first use).
 *
 * @returns its URL, name and a drop() to call in afterAll.
 * @throws when the server is unreachable or the migrations fail to apply (message from the migrator).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = await prepareTestTemplate();
  return createDatabase(`kraken_test_${process.pid}_${randomBytes(4).toString('hex')}`, template);
}

/**
 * Creates a uniquely named empty database (no migrations applied), for tests of the migrator itself.
 *
 * @param label name prefix, `[a-z0-9_]`, default `kraken_test`.
 */
export async function createEmptyTestDatabase(label = 'kraken_test'): Promise<TestDatabase> {
  return createDatabase(`${label}_${process.pid}_${randomBytes(4).toString('hex')}`);
}

/**
 * Makes sure the template for the current migrations exists and returns its name; memoised per module
 * instance (jest loads it once per test file). May be called from a jest globalSetup to build it early.
 */
export function prepareTestTemplate(): Promise<string> {
  const name = `${TEMPLATE_PREFIX}${migrationsHash(MIGRATIONS_DIR)}`;
  let pending = templates.get(name);
  if (!pending) {
    pending = buildTemplateOnce(name);
    pending.catch(() => templates.delete(name));
    templates.set(name, pending);
  }
  return pending;
}

/**
 * First 16 hex characters of SHA-256 over every file under `dir` (relative path and contents, sorted
 * by path) and the template format version.
 */
export function migrationsHash(dir: string): string {
  const hash = createHash('sha256').update(TEMPLATE_FORMAT);
  for (const file of listFiles(dir)) {
    hash.update(`\0${relative(dir, file)}\0`).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The admin URL pointing at database `name`. */
export function databaseUrl(name: string, adminUrl = TEST_PG_ADMIN_URL): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The folder above `from` whose package.json is named "kraken". @throws Error when there is none */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'kraken') return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find Kraken's package.json above ${from}`);
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

async function buildTemplateOnce(name: string): Promise<string> {
  await withAdmin(async (admin) => {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [TEMPLATE_PREFIX]);
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) await buildTemplate(admin, name);
      await admin.query(`COMMENT ON DATABASE ${ident(name)} IS '${COMMENT_PREFIX}${new Date().toISOString()}'`);
      await dropStaleTemplates(admin, name);
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [TEMPLATE_PREFIX]);
    }
  });
  return name;
}

/** Builds `<name>_build` with the migrator, then renames it to `name` (the caller holds the lock). */
async function buildTemplate(admin: Client, name: string): Promise<void> {
  const build = `${name}_build`;
  await admin.query(`DROP DATABASE IF EXISTS ${ident(build)} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${ident(build)}`);
  await admin.query(`COMMENT ON DATABASE ${ident(build)} IS '${COMMENT_PREFIX}${new Date().toISOString()}'`);
  try {
    await applyMigrations({ databaseUrl: databaseUrl(build), migrationsDir: MIGRATIONS_DIR, log: () => undefined });
    await retryWhileInUse(() => admin.query(`ALTER DATABASE ${ident(build)} RENAME TO ${ident(name)}`));
    // Nobody may connect to a template: a session on it would make CREATE DATABASE … TEMPLATE fail.
    await admin.query(`ALTER DATABASE ${ident(name)} WITH ALLOW_CONNECTIONS false`);
  } catch (error) {
    await admin.query(`DROP DATABASE IF EXISTS ${ident(build)} WITH (FORCE)`).catch(() => undefined);
    throw error;
  }
}

/** Drops other `kraken_tpl_*` databases whose comment says they were last used over a day ago. */
async function dropStaleTemplates(admin: Client, keep: string): Promise<void> {
  const result = await admin.query<{ datname: string; comment: string | null }>(
    `SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database
     WHERE datname LIKE 'kraken\\_tpl\\_%' AND datname <> $1`,
    [keep],
  );
  for (const row of result.rows) {
    const lastUsed = row.comment?.startsWith(COMMENT_PREFIX) ? Date.parse(row.comment.slice(COMMENT_PREFIX.length)) : NaN;
    if (Number.isNaN(lastUsed) || Date.now() - lastUsed < STALE_AFTER_MS) continue;
    await admin.query(`DROP DATABASE IF EXISTS ${ident(row.datname)} WITH (FORCE)`).catch(() => undefined);
  }
}

async function createDatabase(name: string, template?: string): Promise<TestDatabase> {
  await withAdmin((admin) =>
    retryWhileInUse(() =>
      admin.query(`CREATE DATABASE ${ident(name)}${template ? ` TEMPLATE ${ident(template)}` : ''}`),
    ),
  );
  return {
    url: databaseUrl(name),
    name,
    drop: () => withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL, application_name: 'kraken-test-databases' });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/** Retries `action` for up to 10 s while PostgreSQL answers "database is being accessed by other users". */
async function retryWhileInUse<T>(action: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await action();
    } catch (error) {
      if ((error as { code?: string }).code !== OBJECT_IN_USE || Date.now() > deadline) throw error;
      await new Promise((done) => setTimeout(done, 50));
    }
  }
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
