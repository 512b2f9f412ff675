import { Agent, request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { applyMigrations } from '@kraken/db';
import { dropPrefix } from '@kraken/testing';

/** Where the benchmark's services are (local defaults, overridable like the apps'). */
export const BENCH_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** The repository root (dist/tools/bench → ../../..). */
export const ROOT = join(__dirname, '..', '..', '..');

/** A throw-away database with all migrations applied; `drop` removes it. */
export async function benchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `kraken_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await applyMigrations({ databaseUrl: url.toString(), migrationsDir: join(ROOT, 'prisma', 'migrations') });
  return {
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Prefixes handed out by benchPrefix in this process, dropped by dropBenchPrefixes. */
const prefixes = new Set<string>();

/** A unique BullMQ prefix for one benchmark run (its keys are deleted by dropBenchPrefixes). */
export function benchPrefix(): string {
  const prefix = `kbench-${process.pid}-${randomBytes(3).toString('hex')}`;
  prefixes.add(prefix);
  return prefix;
}

/** Deletes the Redis keys of every prefix benchPrefix handed out (queues, context, limiters …). */
export async function dropBenchPrefixes(): Promise<void> {
  for (const prefix of prefixes) await dropPrefix(prefix, BENCH_REDIS_URL);
  prefixes.clear();
}

/** Percentile `p` (0-100) of `values` (ms). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** The webhook secret the benchmark's gateways run with. */
export const BENCH_WEBHOOK_SECRET = 'bench-secret_token';

/** POSTs one update body to a gateway's webhook on 127.0.0.1:`port` through `agent` (keep-alive). @returns the HTTP status. */
export function postWebhook(agent: Agent, port: number, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/telegram/webhook', method: 'POST', agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-telegram-bot-api-secret-token': BENCH_WEBHOOK_SECRET } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
