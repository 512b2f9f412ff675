import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { applyMigrations } from '../../libs/db/src/migrations';
import { createEmptyTestDatabase, createTestDatabase, MIGRATIONS_DIR, type TestDatabase } from '@kraken/testing';
import { expectedSchemaFromPrisma } from './drift/expected-schema';
import { readLiveSchema } from './drift/live-schema';
import { diffSchemas, formatDrift } from './drift/schema-diff';
import { CHECKER_FIXTURE_PRISMA, CHECKER_FIXTURE_SQL } from './drift/checker-fixture';

const SCHEMA_FILE = join(__dirname, '..', '..', 'prisma', 'schema.prisma');

/** Connects to `db`, runs `work`, disconnects. */
async function withClient<T>(db: TestDatabase, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('prisma/migrations versus prisma/schema.prisma', () => {
  const expected = expectedSchemaFromPrisma(readFileSync(SCHEMA_FILE, 'utf8'));
  let db: TestDatabase;

  beforeAll(async () => {
    // A fresh database migrated here, not the shared template, so this test checks the files themselves.
    db = await createEmptyTestDatabase('kraken_drift');
    await applyMigrations({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR, log: () => undefined });
  });
  afterAll(() => db?.drop());

  it('reads a non-trivial schema from both sides', async () => {
    const live = await withClient(db, readLiveSchema);
    for (const shape of [expected, live]) {
      expect(Object.keys(shape.tables)).toEqual(expect.arrayContaining(['Chat', 'Message', 'MemberEvent']));
      expect(shape.tables.Message.primaryKey).toEqual({ name: 'Message_pkey', columns: ['chatId', 'messageId'] });
      expect(shape.enums.MessageKind).toContain('video_note');
    }
  });

  it('the migrations create exactly what schema.prisma declares', async () => {
    const live = await withClient(db, readLiveSchema);
    expect(formatDrift(diffSchemas(expected, live))).toBe('no drift');
  });
});

describe('the drift checker', () => {
  it('reports each kind of drift in a migrated database', async () => {
    const db = await createTestDatabase();
    try {
      const live = await withClient(db, async (client) => {
        await client.query(`
          ALTER TABLE "Message" ALTER COLUMN "kind" DROP NOT NULL;
          ALTER TABLE "Chat" ADD COLUMN "extra" TEXT;
          ALTER TABLE "Sender" ALTER COLUMN "isBot" DROP DEFAULT;
          ALTER TABLE "ReactionCount" ALTER COLUMN "reactions" TYPE JSON;
          DROP INDEX "MemberEvent_chatId_date_idx";
          CREATE UNIQUE INDEX "Message_text_key" ON "Message"("text");
          ALTER TYPE "MemberEventType" ADD VALUE 'kick';
          ALTER TABLE "MessageEdit" DROP CONSTRAINT "MessageEdit_pkey", ADD PRIMARY KEY ("chatId", "messageId");
          DROP TABLE "UserReaction";
        `);
        return readLiveSchema(client);
      });
      const expected = expectedSchemaFromPrisma(readFileSync(SCHEMA_FILE, 'utf8'));
      expect(diffSchemas(expected, live)).toEqual([
        'column "Chat"."extra": in the database but not in schema.prisma',
        'column "Message"."kind": nullable in the database, schema.prisma declares NOT NULL',
        'column "ReactionCount"."reactions": type is json in the database, schema.prisma declares jsonb',
        'column "Sender"."isBot": no default in the database, schema.prisma declares a default',
        'enum "MemberEventType": values are (join, leave, kick) in the database, schema.prisma declares (join, leave)',
        'index "MemberEvent_chatId_date_idx" on "MemberEvent": missing from the database (schema.prisma declares btree (chatId, date))',
        'index "Message_text_key" on "Message": in the database but not in schema.prisma (UNIQUE btree (text))',
        'table "MessageEdit": primary key is MessageEdit_pkey (chatId, messageId) in the database, schema.prisma declares MessageEdit_pkey (chatId, messageId, editDate)',
        'table "UserReaction": missing from the database',
      ]);
    } finally {
      await db.drop();
    }
  });

  it('maps @map, @@map, @unique, @@index, enums, lists, native types, defaults and relations like Prisma', async () => {
    const db = await createEmptyTestDatabase('kraken_drift');
    try {
      const live = await withClient(db, async (client) => {
        await client.query(CHECKER_FIXTURE_SQL);
        return readLiveSchema(client);
      });
      expect(formatDrift(diffSchemas(expectedSchemaFromPrisma(CHECKER_FIXTURE_PRISMA), live))).toBe('no drift');

      const renamed = CHECKER_FIXTURE_PRISMA.replace('@map("user_handle")', '@map("handle")').replace(
        'onDelete: Cascade',
        'onDelete: Restrict',
      );
      expect(diffSchemas(expectedSchemaFromPrisma(renamed), live)).toEqual([
        'column "accounts"."handle": missing from the database',
        'column "accounts"."user_handle": in the database but not in schema.prisma',
        'foreign key "Post"(accountId): is (accountId) REFERENCES "accounts"(id) ON DELETE CASCADE ON UPDATE CASCADE in the database, ' +
          'schema.prisma declares (accountId) REFERENCES "accounts"(id) ON DELETE RESTRICT ON UPDATE CASCADE',
        'index "accounts_handle_balance_key" on "accounts": missing from the database (schema.prisma declares UNIQUE btree (handle, balance))',
        'index "accounts_user_handle_balance_key" on "accounts": in the database but not in schema.prisma (UNIQUE btree (user_handle, balance))',
      ]);
    } finally {
      await db.drop();
    }
  });
});
