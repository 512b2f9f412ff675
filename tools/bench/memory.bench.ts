import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { APP_ENTRY, BotApiEmulator, FakeLlmServer, freePort, startApp, waitForQueueIdle, type AppProcess } from '@kraken/testing';
import { QueueName } from '@kraken/contracts';
import { BENCH_REDIS_URL, BENCH_WEBHOOK_SECRET as SECRET, benchDatabase, benchPrefix, postWebhook } from './bench-env';
import { textUpdate } from './synthetic-updates';


const MiB = 1024 * 1024;

/** Resident memory of one app process at rest and under the ingest load. */
export interface AppMemory {
  app: keyof typeof APP_ENTRY;
  /** RSS after start-up with no traffic (after a 3 s settle), MiB. */
  restMiB: number;
  /** Highest RSS sampled (every 100 ms) from the start of the load until the stats queue is drained, MiB. */
  loadMiB: number;
  /** Updates posted to the gateway's webhook during the load. */
  loadUpdates: number;
  /** Rate at which the gateway took them (32 in flight), updates/s. */
  loadPerSec: number;
}

/** RSS of process `pid` in bytes, from /proc (Linux). */
function rssBytes(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return kib ? Number(kib[1]) * 1024 : NaN;
}


/**
 * RSS of every app (gateway, stats-worker, llm-worker, digest-worker, api), each its own process from
 * dist/ with default settings on one database and Redis prefix (Bot API emulator, fake LLM): measured at
 * rest, then at its peak while `updates` group text messages go through the webhook (32 in flight) and
 * the workers consume what they produce (stats facts, chat context).
 */
export async function benchMemory(options = { updates: 10_000 }): Promise<AppMemory[]> {
  const db = await benchDatabase();
  const emulator = new BotApiEmulator();
  const llm = new FakeLlmServer();
  const prefix = benchPrefix();
  const port = await freePort();
  const env = {
    DATABASE_URL: db.url, REDIS_URL: BENCH_REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info', HEALTH_PORT: '0',
    BOT_TOKEN: '123456:bench', TELEGRAM_API_ROOT: await emulator.start(), TELEGRAM_MODE: 'webhook', WEBHOOK_SECRET: SECRET,
    PORT: String(port), HOST: '127.0.0.1', LLM_PROVIDERS: 'openai', LLM_OPENAI_BASE_URL: await llm.start(), LLM_OPENAI_API_KEY: 'sk-bench',
    JWT_SECRET: 'bench-jwt-secret-of-at-least-32-bytes!', API_PORT: String(await freePort()), API_HOST: '127.0.0.1',
  };
  const names = Object.keys(APP_ENTRY) as Array<keyof typeof APP_ENTRY>;
  const apps: AppProcess[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  try {
    for (const name of names) apps.push(await startApp(name, env));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const rest = apps.map((app) => rssBytes(app.child.pid!));
    const peak = [...rest];
    const sampler = setInterval(() => apps.forEach((app, i) => (peak[i] = Math.max(peak[i], rssBytes(app.child.pid!)))), 100);
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next < options.updates) {
        const status = await postWebhook(agent, port, JSON.stringify(textUpdate(next++)));
        if (status !== 200) throw new Error(`webhook answered ${status}`);
      }
    }));
    const loadPerSec = options.updates / ((performance.now() - started) / 1000);
    await waitForQueueIdle(BENCH_REDIS_URL, prefix, QueueName.Stats, 600_000).finally(() => clearInterval(sampler));
    return apps.map((app, i) => ({ app: app.name as keyof typeof APP_ENTRY, restMiB: rest[i] / MiB, loadMiB: peak[i] / MiB, loadUpdates: options.updates, loadPerSec }));
  } finally {
    agent.destroy();
    for (const app of apps.reverse()) await app.stop();
    await llm.stop();
    await emulator.stop();
    await db.drop();
  }
}
