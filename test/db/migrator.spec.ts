import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  applyMigrations,
  DatabaseNotEmptyError,
  FailedMigrationsError,
  MigrationFailedError,
  MigrationLockTimeoutError,
  MigrationsDirectoryError,
  PRISMA_MIGRATE_LOCK_KEY,
} from '../../libs/db/src/migrations';
import { createEmptyTestDatabase, MIGRATIONS_DIR, type TestDatabase } from '@kraken/testing';
import { tempMigrations, type TempMigrations } from './temp-migrations';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const quiet = { log: () => undefined };

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

async function query<T extends object = Record<string, unknown>>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

interface Row {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

const rows = (db: TestDatabase) => query<Row>(db.url, 'SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name');

describe('applyMigrations', () => {
  const databases: TestDatabase[] = [];
  const folders: TempMigrations[] = [];
  const freshDatabase = async () => {
    const db = await createEmptyTestDatabase('kraken_migrator');
    databases.push(db);
    return db;
  };
  const folder = (migrations: Record<string, string>, provider?: string) => {
    const temp = tempMigrations(migrations, provider);
    folders.push(temp);
    return temp;
  };
  afterAll(async () => {
    folders.forEach((temp) => temp.cleanup());
    await Promise.all(databases.map((db) => db.drop()));
  });

  describe('on the project migrations', () => {
    let db: TestDatabase;
    const names = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();

    beforeAll(async () => {
      db = await freshDatabase();
    });

    it('applies every migration to an empty database and records it as Prisma does', async () => {
      expect(names.length).toBeGreaterThan(0);
      const result = await applyMigrations({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR, ...quiet });
      expect(result).toEqual({ applied: names, alreadyApplied: [], warnings: [] });

      const recorded = await rows(db);
      expect(recorded.map((row) => row.migration_name)).toEqual(names);
      for (const row of recorded) {
        const file = readFileSync(join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
        expect(row.id).toMatch(UUID_V4);
        expect(row.checksum).toBe(sha256(file));
        expect(row.applied_steps_count).toBe(1);
        expect(row.logs).toBeNull();
        expect(row.rolled_back_at).toBeNull();
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      }
    });

    it('creates _prisma_migrations with the columns of Prisma\'s DDL', async () => {
      const columns = await query(
        db.url,
        `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
      );
      expect(columns).toEqual([
        { column_name: 'id', data_type: 'character varying', length: 36, is_nullable: 'NO', column_default: null },
        { column_name: 'checksum', data_type: 'character varying', length: 64, is_nullable: 'NO', column_default: null },
        { column_name: 'finished_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
        { column_name: 'migration_name', data_type: 'character varying', length: 255, is_nullable: 'NO', column_default: null },
        { column_name: 'logs', data_type: 'text', length: null, is_nullable: 'YES', column_default: null },
        { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
        { column_name: 'started_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'NO', column_default: 'now()' },
        { column_name: 'applied_steps_count', data_type: 'integer', length: null, is_nullable: 'NO', column_default: '0' },
      ]);
      const [pk] = await query<{ def: string }>(
        db.url,
        `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = '_prisma_migrations'::regclass AND contype = 'p'`,
      );
      expect(pk.def).toBe('PRIMARY KEY (id)');
    });

    it('applies nothing on a second run', async () => {
      const before = await rows(db);
      const result = await applyMigrations({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR, ...quiet });
      expect(result).toEqual({ applied: [], alreadyApplied: names, warnings: [] });
      expect(await rows(db)).toEqual(before);
    });
  });

  it('applies migrations in folder-name order, whatever order they were written in', async () => {
    const db = await freshDatabase();
    const temp = folder({
      '20260101000002_child': 'CREATE TABLE child (id INTEGER REFERENCES parent(id));',
      '20260101000001_parent': 'CREATE TABLE parent (id INTEGER PRIMARY KEY);',
    });
    const result = await applyMigrations({ databaseUrl: db.url, migrationsDir: temp.dir, ...quiet });
    expect(result.applied).toEqual(['20260101000001_parent', '20260101000002_child']);
  });

  it('applies each migration once when two runs start together', async () => {
    const db = await freshDatabase();
    const temp = folder({
      '20260101000001_slow': 'CREATE TABLE slow (id INTEGER); SELECT pg_sleep(0.3);',
      '20260101000002_next': 'CREATE TABLE next (id INTEGER);',
    });
    const run = () => applyMigrations({ databaseUrl: db.url, migrationsDir: temp.dir, ...quiet });
    const results = await Promise.all([run(), run(), run()]);

    const all = ['20260101000001_slow', '20260101000002_next'];
    expect(results.map((r) => r.applied).flat().sort()).toEqual(all);
    expect(results.filter((r) => r.applied.length === 2)).toHaveLength(1);
    expect(results.filter((r) => r.alreadyApplied.length === 2)).toHaveLength(2);
    expect((await rows(db)).map((row) => row.migration_name)).toEqual(all);
  });

  it('waits for Prisma\'s advisory lock, and names its holder when the wait times out', async () => {
    const db = await freshDatabase();
    const temp = folder({ '20260101000001_one': 'CREATE TABLE one (id INTEGER);' });
    const holder = new Client({ connectionString: db.url, application_name: 'prisma-migrate-stand-in' });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
      const timedOut = await applyMigrations({ databaseUrl: db.url, migrationsDir: temp.dir, lockTimeoutMs: 200, ...quiet }).catch(
        (e) => e,
      );
      expect(timedOut).toBeInstanceOf(MigrationLockTimeoutError);
      expect(timedOut.message).toMatch(/pg_advisory_lock\(72707369\), held by pid \d+ \(prisma-migrate-stand-in\)/);

      let finished = false;
      const waiting = applyMigrations({ databaseUrl: db.url, migrationsDir: temp.dir, ...quiet }).then((result) => {
        finished = true;
        return result;
      });
      await new Promise((done) => setTimeout(done, 300));
      expect(finished).toBe(false);
      await holder.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
      expect((await waiting).applied).toEqual(['20260101000001_one']);
    } finally {
      await holder.end();
    }
  });

  describe('when a migration fails', () => {
    let db: TestDatabase;
    let temp: TempMigrations;
    const bad = '20260101000002_bad';

    beforeAll(async () => {
      db = await freshDatabase();
      temp = folder({
        '20260101000001_good': 'CREATE TABLE good (id INTEGER);',
        [bad]: 'CREATE TABLE half (id INTEGER);\nINSERT INTO missing_table VALUES (1);\n',
        '20260101000003_after': 'CREATE TABLE after (id INTEGER);',
      });
    });

    it('rolls it back, keeps a failed row with the error and throws naming the migration and the SQL error', async () => {
      const error = await applyMigrations({ databaseUrl: db.url, migrationsDir: temp.dir, ...quiet }).catch((e) => e);
      expect(error).toBeInstanceOf(MigrationFailedError);
      expect(error.migrationName).toBe(bad);
      expect(error.message).toContain(`Migration \`${bad}\` failed to apply`);
      expect(error.message).toContain('relation "missing_table" does not exist');
      expect(error.message).toContain('Database error code: 42P01');
      expect(error.message).toContain('Position: line 2 of migration.sql');

      const recorded = await rows(db);
      expect(recorded.map((row) => [row.migration_name, row.finished_at !== null])).toEqual([
        ['20260101000001_good', true],
        [bad, false],
      ]);
      const failed = recorded[1];
      expect(failed).toMatchObject({ rolled_back_at: null, applied_steps_count: 0, checksum: sha256(readFileSync(join(temp.dir, bad, 'migration.sql'))) });
      expect(failed.logs).toContain('relation "missing_table" does not exist');
      const tables = await query<{ t: string | null }>(db.url, "SELECT to_regclass('half')::text AS t");
      expect(tables[0].t).toBeNull();
    });

    it('refuses every later run with a P3009-like error until the row is resolved', async () => {
      const error = await applyMigrations({ databaseUrl: db.url, migrationsDir: temp.dir, ...quiet }).catch((e) => e);
      expect(error).toBeInstanceOf(FailedMigrationsError);
      expect(error.message).toContain('P3009');
      expect(error.message).toMatch(new RegExp(`The \`${bad}\` migration started at .* failed with the following logs:`));
      expect(error.message).toContain('relation "missing_table" does not exist');
      expect((await rows(db)).length).toBe(2);
    });

    it('retries it once the row is marked rolled back, as after `prisma migrate resolve --rolled-back`', async () => {
      await query(db.url, 'UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1', [bad]);
      temp.write(bad, 'CREATE TABLE half (id INTEGER);\n');
      const result = await applyMigrations({ databaseUrl: db.url, migrationsDir: temp.dir, ...quiet });
      expect(result).toEqual({
        applied: [bad, '20260101000003_after'],
        alreadyApplied: ['20260101000001_good'],
        warnings: [],
      });
      const recorded = (await rows(db)).filter((row) => row.migration_name === bad);
      expect(recorded.map((row) => [row.rolled_back_at !== null, row.finished_at !== null])).toEqual([
        [true, false],
        [false, true],
      ]);
    });
  });

  describe('history warnings', () => {
    it('warns when an applied migration was edited, ignoring line-ending changes', async () => {
      const db = await freshDatabase();
      const name = '20260101000001_one';
      const temp = folder({ [name]: '-- one\nCREATE TABLE one (id INTEGER);\n' });
      await applyMigrations({ databaseUrl: db.url, migrationsDir: temp.dir, ...quiet });

      temp.write(name, '-- one\r\nCREATE TABLE one (id INTEGER);\r\n');
      expect((await applyMigrations({ databaseUrl: db.url, migrationsDir: temp.dir, ...quiet })).warnings).toEqual([]);

      temp.write(name, '-- one, edited\nCREATE TABLE one (id INTEGER);\n');
      const lines: string[] = [];
      const result = await applyMigrations({ databaseUrl: db.url, migrationsDir: temp.dir, log: (line) => lines.push(line) });
      expect(result.applied).toEqual([]);
      expect(result.warnings).toEqual([expect.stringContaining(`migration \`${name}\` was modified after it was applied`)]);
      expect(lines).toContain(`warning: ${result.warnings[0]}`);
    });

    it('warns when an applied migration is missing from the folder', async () => {
      const db = await freshDatabase();
      const temp = folder({ '20260101000001_one': 'SELECT 1;', '20260101000002_two': 'SELECT 2;' });
      await applyMigrations({ databaseUrl: db.url, migrationsDir: temp.dir, ...quiet });
      temp.remove('20260101000002_two');
      const result = await applyMigrations({ databaseUrl: db.url, migrationsDir: temp.dir, ...quiet });
      expect(result).toEqual({
        applied: [],
        alreadyApplied: ['20260101000001_one'],
        warnings: [
          'migration `20260101000002_two` is recorded as applied in the database but missing from the migrations folder',
        ],
      });
    });
  });

  describe('refuses to start', () => {
    it('on a schema that has tables but no migration history (like P3005)', async () => {
      const db = await freshDatabase();
      await query(db.url, 'CREATE TABLE legacy (id INTEGER)');
      const temp = folder({ '20260101000001_one': 'SELECT 1;' });
      await expect(applyMigrations({ databaseUrl: db.url, migrationsDir: temp.dir, ...quiet })).rejects.toThrow(
        DatabaseNotEmptyError,
      );
      const [table] = await query<{ t: string | null }>(db.url, "SELECT to_regclass('_prisma_migrations')::text AS t");
      expect(table.t).toBeNull();
    });

    it('on a folder locked to another provider, a missing folder, or a migration without migration.sql', async () => {
      const db = await freshDatabase();
      const mysql = folder({ '20260101000001_one': 'SELECT 1;' }, 'mysql');
      await expect(applyMigrations({ databaseUrl: db.url, migrationsDir: mysql.dir, ...quiet })).rejects.toThrow(
        /provider = "mysql"/,
      );
      await expect(
        applyMigrations({ databaseUrl: db.url, migrationsDir: join(mysql.dir, 'nope'), ...quiet }),
      ).rejects.toThrow(MigrationsDirectoryError);
      const noScript = folder({ '20260101000001_one': 'SELECT 1;' });
      writeFileSync(join(noScript.dir, 'README'), 'a file beside the folders is ignored');
      mkdirSync(join(noScript.dir, '20260101000002_two'));
      await expect(applyMigrations({ databaseUrl: db.url, migrationsDir: noScript.dir, ...quiet })).rejects.toThrow(
        /migration `20260101000002_two` has no readable migration\.sql/,
      );
    });
  });

  it('honours ?schema= in the URL like Prisma', async () => {
    const db = await freshDatabase();
    const temp = folder({ '20260101000001_one': 'CREATE TABLE one (id INTEGER);' });
    const result = await applyMigrations({ databaseUrl: `${db.url}?schema=kraken_app`, migrationsDir: temp.dir, ...quiet });
    expect(result.applied).toEqual(['20260101000001_one']);
    const tables = await query<{ schema: string; name: string }>(
      db.url,
      `SELECT schemaname AS schema, tablename AS name FROM pg_tables WHERE tablename IN ('one', '_prisma_migrations') ORDER BY 2`,
    );
    expect(tables).toEqual([
      { schema: 'kraken_app', name: '_prisma_migrations' },
      { schema: 'kraken_app', name: 'one' },
    ]);
  });
});
