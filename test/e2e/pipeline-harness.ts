import { join } from 'node:path';
import { BotApiEmulator, createTestDatabase } from '@kraken/testing';
import { freePort, ROOT, runCli, startApp, waitForQueueIdle, type AppProcess } from '../support/processes';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';

/** The bundled real export and the Bot API chat id the replay gives its supergroup. */
export const EXPORT_FILE = join(ROOT, 'test', 'fixtures', 'impact-group', 'result.json');
export const CHAT_ID = -1002482670091;
export const SECRET = 'e2e-secret_token';
export const TZ = 'Europe/Moscow';


/**
 * One isolated Kraken deployment for a test: its own database, Redis prefix, Bot API emulator, gateway
 * process and any number of stats-worker processes.
 */
export class PipelineHarness {
  emulator!: BotApiEmulator;
  gateway!: AppProcess;
  workers: AppProcess[] = [];
  webhook!: string;
  env!: Record<string, string>;
  private dropDatabase!: () => Promise<void>;

  /**
   * @param options.redisUrl another Redis than the test server; `redisClusterNodes` (with a
   *   hash-tagged `queuePrefix`, e.g. `{ke2e-…}`) makes every app use that Redis Cluster
   */
  async start(options: { workers?: number; workerEnv?: Record<string, string>; redisUrl?: string; redisClusterNodes?: string; queuePrefix?: string } = {}): Promise<this> {
    const db = await createTestDatabase();
    this.dropDatabase = db.drop;
    this.emulator = new BotApiEmulator();
    const apiRoot = await this.emulator.start();
    const port = await freePort();
    this.env = {
      DATABASE_URL: db.url,
      REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
      QUEUE_PREFIX: options.queuePrefix ?? uniquePrefix('ke2e'),
      ...(options.redisClusterNodes ? { REDIS_CLUSTER_NODES: options.redisClusterNodes } : {}),
      BOT_TOKEN: '123456:E2E-token',
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_MODE: 'webhook',
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      KRAKEN_TIMEZONE: TZ,
      STATS_LOCK_MS: '3000',
      HEALTH_PORT: '0',
    };
    this.webhook = `http://127.0.0.1:${port}/telegram/webhook`;
    this.gateway = await startApp('gateway', this.env);
    for (let i = 0; i < (options.workers ?? 1); i++) await this.startWorker(options.workerEnv);
    return this;
  }

  async startWorker(extraEnv: Record<string, string> = {}): Promise<AppProcess> {
    const worker = await startApp('stats-worker', { ...this.env, ...extraEnv });
    this.workers.push(worker);
    return worker;
  }

  /** Waits until every stats job was processed. */
  idle(timeoutMs = 120_000): Promise<void> {
    const clusterNodes = this.env.REDIS_CLUSTER_NODES?.split(',');
    return waitForQueueIdle({ url: this.env.REDIS_URL, clusterNodes }, this.env.QUEUE_PREFIX, 'stats', timeoutMs);
  }

  /** `kraken stats --json` for one month, parsed. @throws Error with the CLI's stderr on failure. */
  async stats(month: string): Promise<Record<string, any>> {
    const result = await runCli(['stats', '--chat', String(CHAT_ID), '--month', month, '--tz', TZ, '--json'], this.env);
    if (result.code !== 0) throw new Error(`kraken stats failed (${result.code}): ${result.stderr}`);
    return JSON.parse(result.stdout);
  }

  async stop(): Promise<void> {
    await Promise.all([this.gateway, ...this.workers].filter(Boolean).map((p) => p.stop('SIGTERM')));
    await this.emulator?.stop();
    await dropPrefix(this.env.QUEUE_PREFIX, this.env.REDIS_URL).catch(() => undefined);
    await this.dropDatabase?.();
  }
}
