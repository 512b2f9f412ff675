import { join } from 'node:path';
import { type AppProcess, BotApiEmulator, type BotApiEmulatorOptions, createTestDatabase, freePort, ROOT, startApp, waitForQueueIdle } from '@kraken/testing';
import { runCli } from '../../support/processes';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../../support/redis';

/** The bundled real export, the Bot API id of its supergroup, and the webhook secret used. */
export const EXPORT_FILE = join(ROOT, 'test', 'fixtures', 'impact-group', 'result.json');
export const CHAT_ID = -1002482670091;
export const SECRET = 'ops-secret_token';
export const TZ = 'Europe/Moscow';


/** A stats worker process and the port of its health and metrics server. */
export interface WorkerProcess extends AppProcess {
  healthPort: number;
}

/** Options of Deployment.start. */
export interface DeploymentOptions {
  /** Redis to use (default: the shared test server, under a unique prefix). */
  redisUrl?: string;
  /** Migrated database to use (default: a fresh one cloned from the test template, dropped at stop). */
  databaseUrl?: string;
  /** Stats workers to start (default 1). */
  workers?: number;
  /** Variables added to every app's environment. */
  env?: Record<string, string>;
  /** Options of the Bot API emulator (e.g. the bot's getMe profile). */
  emulator?: BotApiEmulatorOptions;
}

/**
 * One Kraken deployment as separate OS processes for operations tests: a Bot API emulator (in this
 * process), one gateway (webhook mode, fixed port so it can be restarted in place) and stats workers,
 * sharing a database and a Redis key prefix. Apps run from dist/ (or KRAKEN_DIST_ROOT).
 */
export class Deployment {
  emulator = new BotApiEmulator();
  env: Record<string, string> = {};
  webhook = '';
  gatewayUrl = '';
  gateway: AppProcess | undefined;
  /** Gateways started next to the main one (startExtraGateway), each on its own port. */
  extraGateways: AppProcess[] = [];
  workers: WorkerProcess[] = [];
  llmWorkers: WorkerProcess[] = [];
  private dropDatabase: (() => Promise<void>) | undefined;

  /** Starts the emulator, the gateway and `options.workers` stats workers. */
  static async start(options: DeploymentOptions = {}): Promise<Deployment> {
    const deployment = new Deployment();
    await deployment.init(options);
    return deployment;
  }

  /** Starts a gateway on the deployment's port (after a previous one exited). */
  async startGateway(extraEnv: Record<string, string> = {}): Promise<AppProcess> {
    this.gateway = await startApp('gateway', { ...this.env, ...extraEnv });
    return this.gateway;
  }

  /** Starts one more gateway on a free port (its own webhook URL), next to the deployment's gateway. */
  async startExtraGateway(extraEnv: Record<string, string> = {}): Promise<AppProcess> {
    const gateway = await startApp('gateway', { ...this.env, PORT: String(await freePort()), ...extraEnv });
    this.extraGateways.push(gateway);
    return gateway;
  }

  /** Starts one more stats worker with its health/metrics server on a free port (HEALTH_PORT). */
  async startWorker(extraEnv: Record<string, string> = {}): Promise<WorkerProcess> {
    const env = { ...this.env, HEALTH_PORT: String(await freePort()), ...extraEnv };
    const worker = Object.assign(await startApp('stats-worker', env), { healthPort: Number(env.HEALTH_PORT) });
    this.workers.push(worker);
    return worker;
  }

  /** Starts an llm-worker (apps/llm-worker) with its health/metrics server on a free port. */
  async startLlmWorker(extraEnv: Record<string, string> = {}): Promise<WorkerProcess> {
    const env = { ...this.env, HEALTH_PORT: String(await freePort()), ...extraEnv };
    const worker = Object.assign(await startApp('llm-worker', env), { healthPort: Number(env.HEALTH_PORT) });
    this.llmWorkers.push(worker);
    return worker;
  }

  /** Waits until `queue` has no waiting, active, delayed or prioritized job (two checks in a row). */
  idle(queue = 'stats', timeoutMs = 180_000): Promise<void> {
    return waitForQueueIdle(this.env.REDIS_URL, this.env.QUEUE_PREFIX, queue, timeoutMs);
  }

  /** `kraken stats --json` of the export's chat for `month`. @throws Error with stderr on failure. */
  async stats(month: string): Promise<Record<string, any>> {
    const result = await runCli(['stats', '--chat', String(CHAT_ID), '--month', month, '--tz', TZ, '--json'], this.env);
    if (result.code !== 0) throw new Error(`kraken stats failed (${result.code}): ${result.stderr}`);
    return JSON.parse(result.stdout);
  }

  /** GET `url` and return status and body text. */
  async get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    const response = await fetch(url, { headers });
    return { status: response.status, body: await response.text() };
  }

  /** Kills every app still running, stops the emulator, removes the Redis keys and the database it created. */
  async stop(): Promise<void> {
    await Promise.all([this.gateway, ...this.extraGateways, ...this.workers, ...this.llmWorkers].filter((p): p is AppProcess => !!p).map((p) => p.stop('SIGKILL')));
    await this.emulator.stop();
    await dropPrefix(this.env.QUEUE_PREFIX, this.env.REDIS_URL).catch(() => undefined);
    await this.dropDatabase?.();
  }

  private async init(options: DeploymentOptions): Promise<void> {
    let databaseUrl = options.databaseUrl;
    if (!databaseUrl) {
      const db = await createTestDatabase();
      this.dropDatabase = db.drop;
      databaseUrl = db.url;
    }
    if (options.emulator) this.emulator = new BotApiEmulator(options.emulator);
    const apiRoot = await this.emulator.start();
    const port = await freePort();
    this.gatewayUrl = `http://127.0.0.1:${port}`;
    this.webhook = `${this.gatewayUrl}/telegram/webhook`;
    this.env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
      QUEUE_PREFIX: uniquePrefix('kops'),
      BOT_TOKEN: '123456:OPS-token',
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_MODE: 'webhook',
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      KRAKEN_TIMEZONE: TZ,
      STATS_LOCK_MS: '3000',
      SHUTDOWN_GRACE_MS: '10000',
      ...options.env,
    };
    await this.startGateway();
    for (let i = 0; i < (options.workers ?? 1); i++) await this.startWorker();
  }
}

