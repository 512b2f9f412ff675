import { PrismaService } from '@kraken/db';
import { createTestDatabase, type TestDatabase } from './test-database';

/** A migrated test database and a connected PrismaService on it (see createTestPrisma). */
export interface TestPrisma {
  /** The database: its URL (e.g. for an app's DATABASE_URL) and name. */
  db: TestDatabase;
  /** Connected to `db`. */
  prisma: PrismaService;
  /** Disconnects `prisma`, then drops `db`; call it in afterAll. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The database fixture of a spec: a fresh database holding every migration (createTestDatabase) and
 * a PrismaService connected to it with `poolSize` connections (default 2).
 * @throws when PostgreSQL is unreachable or the connection fails (the database is dropped again then)
 */
export async function createTestPrisma(options: { poolSize?: number } = {}): Promise<TestPrisma> {
  const db = await createTestDatabase();
  const prisma = new PrismaService({ databaseUrl: db.url, poolSize: options.poolSize ?? 2 });
  try {
    await prisma.$connect();
  } catch (error) {
    await db.drop();
    throw error;
  }
  return {
    db,
    prisma,
    close: async () => {
      await prisma.$disconnect();
      await db.drop();
    },
  };
}
