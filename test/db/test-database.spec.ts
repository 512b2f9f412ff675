import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, TEST_PG_ADMIN_URL } from '@kraken/testing';

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const databaseExists = (name: string) =>
  admin(async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);

describe('createTestDatabase (tools/dev/testing/test-database.ts)', () => {
  it('drops templates unused for a day, keeps recent ones, and hands out migrated, uniquely named databases', async () => {
    const suffix = randomBytes(4).toString('hex');
    const stale = `kraken_tpl_stale_${suffix}`;
    const recent = `kraken_tpl_recent_${suffix}`;
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000).toISOString();
    await admin(async (client) => {
      await client.query(`CREATE DATABASE "${stale}"`);
      await client.query(`COMMENT ON DATABASE "${stale}" IS 'kraken test template, last used ${twoDaysAgo}'`);
      await client.query(`CREATE DATABASE "${recent}"`);
      await client.query(`COMMENT ON DATABASE "${recent}" IS 'kraken test template, last used ${new Date().toISOString()}'`);
    });
    try {
      const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
      expect(a.name).toMatch(new RegExp(`^kraken_test_${process.pid}_[0-9a-f]{8}$`));
      expect(a.name).not.toBe(b.name);
      expect(await databaseExists(stale)).toBe(false);
      expect(await databaseExists(recent)).toBe(true);

      const client = new Client({ connectionString: a.url });
      await client.connect();
      const { rows } = await client.query('SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL');
      expect(rows[0].n).toBeGreaterThan(0);
      client.on('error', () => undefined); // the forced drop below terminates this session
      await a.drop(); // closes the open connection (WITH (FORCE))
      await client.end().catch(() => undefined);
      await a.drop();
      await b.drop();
      expect(await databaseExists(a.name)).toBe(false);
      expect(await databaseExists(b.name)).toBe(false);
    } finally {
      await admin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS "${stale}"`);
        await client.query(`DROP DATABASE IF EXISTS "${recent}"`);
      });
    }
  });
});
