import { join } from 'node:path';
import { PrismaService } from '@kraken/db';
import { type AppProcess, BotApiEmulator, createTestDatabase, FakeLlmServer, type TestDatabase } from '@kraken/testing';
import type { Month } from '@kraken/stats';
import { freePort, postUpdate, ROOT, startApp, waitForQueueIdle } from '../../support/processes';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../../support/redis';
import { DEMO_TZ, importDemoExport } from './demo-data';

export const SECRET = 'digest-e2e-secret';
/** Chats and people of the scenario (the group is the export's supergroup). */
export const MODERATION_CHAT = -1001000000777;
export const CHANNEL = -1001000000888;
export const ADMIN_1 = { id: 601, is_bot: false, first_name: 'Alice' };
export const ADMIN_2 = { id: 602, is_bot: false, first_name: 'Boris' };
export const SUBMITTER = { id: 501, is_bot: false, first_name: 'Sveta', username: 'sveta' };
export const STRANGER = { id: 701, is_bot: false, first_name: 'Stranger' };

const admins = [
  { status: 'creator', user: ADMIN_1, is_anonymous: false },
  { status: 'administrator', user: ADMIN_2, is_anonymous: false, can_be_edited: false, can_manage_chat: true },
];

/** Options of DigestHarness.start. */
export interface DigestHarnessOptions {
  /** Extra environment (overrides the defaults). */
  env?: Record<string, string>;
  /** Start a stats worker (default true; needed when the scenario posts counted updates). */
  statsWorker?: boolean;
  /** Digest workers to start (default 2). */
  digestWorkers?: number;
}

/**
 * One isolated deployment for the digest scenario: a database holding the real export (imported the
 * way `kraken import` does), a Bot API emulator whose clock runs inside the export's busiest month (so
 * channel posts are dated in it), a fake LLM, and the gateway, a stats worker and two digest workers
 * as separate processes, compiled (dist/, or KRAKEN_DIST_ROOT for a private build).
 */
export class DigestHarness {
  emulator!: BotApiEmulator;
  llm!: FakeLlmServer;
  prisma!: PrismaService;
  gateway!: AppProcess;
  statsWorker!: AppProcess;
  digestWorkers: AppProcess[] = [];
  env!: Record<string, string>;
  chatId!: number;
  month!: Month;
  monthText!: string;
  private db!: TestDatabase;
  private webhook!: string;
  private nextUpdateId = 9_000_000;

  async start(options: DigestHarnessOptions = {}): Promise<this> {
    this.db = await createTestDatabase();
    this.prisma = new PrismaService({ databaseUrl: this.db.url, poolSize: 2 });
    ({ chatId: this.chatId, busiest: this.month, busiestText: this.monthText } = await importDemoExport(this.prisma));
    const shift = Date.UTC(this.month.year, this.month.month - 1, 20, 12) - Date.now();
    this.emulator = new BotApiEmulator({ clock: () => Date.now() + shift });
    const apiRoot = await this.emulator.start();
    this.emulator.setChat(this.chatId, { type: 'supergroup', title: 'ENSIA IMPACT © Group', administrators: admins });
    this.emulator.setChat(MODERATION_CHAT, { type: 'supergroup', title: 'Moderation', administrators: admins });
    this.emulator.setChat(CHANNEL, { type: 'channel', title: 'Kraken memes' });
    this.llm = new FakeLlmServer();
    await this.llm.start();
    const port = await freePort();
    this.webhook = `http://127.0.0.1:${port}/telegram/webhook`;
    const distRoot = process.env.KRAKEN_DIST_ROOT;
    this.env = {
      // A private build outside the repository finds the packages through NODE_PATH.
      ...(distRoot ? { NODE_PATH: join(ROOT, 'node_modules') } : {}),
      DATABASE_URL: this.db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: uniquePrefix('kdg'),
      BOT_TOKEN: '123456:DIGEST-e2e',
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_MODE: 'webhook',
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      KRAKEN_TIMEZONE: DEMO_TZ,
      HEALTH_PORT: '0',
      METRICS_ENABLED: 'false',
      STATS_LOCK_MS: '3000',
      DIGEST_LOCK_MS: '2000',
      MEME_MODERATION_CHAT_ID: String(MODERATION_CHAT),
      MEME_CHANNEL_ID: String(CHANNEL),
      MEME_CHAT_ID: String(this.chatId),
      DIGEST_CHATS: String(this.chatId),
      LLM_PROVIDERS: 'openai',
      LLM_OPENAI_BASE_URL: this.llm.baseUrl,
      LLM_OPENAI_API_KEY: 'test-key',
      LLM_MAX_RETRIES: '0',
      ...options.env,
    };
    // The apps start side by side; each is kept (for stop()) even when another one fails to start.
    const started = await Promise.allSettled([
      startApp('gateway', this.env).then((app) => (this.gateway = app)),
      ...(options.statsWorker ?? true ? [startApp('stats-worker', this.env).then((app) => (this.statsWorker = app))] : []),
      ...Array.from({ length: options.digestWorkers ?? 2 }, () => startApp('digest-worker', this.env).then((app) => this.digestWorkers.push(app))),
    ]);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return this;
  }

  /** A Unix time inside the scenario's month (day `day`, noon UTC). */
  dateIn(day: number): number {
    return Math.floor(Date.UTC(this.month.year, this.month.month - 1, day, 12) / 1000);
  }

  /** POSTs an update to the gateway's webhook (update_id added). @throws Error unless answered 200. */
  async post(update: Record<string, unknown>): Promise<void> {
    const status = await postUpdate(this.webhook, SECRET, { update_id: this.nextUpdateId++, ...update });
    if (status !== 200) throw new Error(`webhook answered ${status}`);
  }

  /** Waits until a queue of this deployment has nothing left to do. */
  idle(queue: string, timeoutMs = 60_000): Promise<void> {
    return waitForQueueIdle(this.env.REDIS_URL, this.env.QUEUE_PREFIX, queue, timeoutMs);
  }

  async stop(): Promise<void> {
    await Promise.all([this.gateway, this.statsWorker, ...this.digestWorkers].filter(Boolean).map((p) => p.stop('SIGTERM')));
    await this.emulator?.stop();
    await this.llm?.stop();
    await this.prisma?.$disconnect();
    if (this.env) await dropPrefix(this.env.QUEUE_PREFIX, this.env.REDIS_URL).catch(() => undefined);
    await this.db?.drop();
  }
}
