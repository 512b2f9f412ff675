import { defineConfig } from 'prisma/config';

/** Prisma CLI configuration: schema and migrations folder; the URL comes from DATABASE_URL. */
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/kraken' },
});
