import { z } from 'zod';
import { healthPortEnv, intFrom } from './env-fields';
import { adminEnv, checkAdminCredentials, opsEnv } from './ops-env';
import { chatTriggerEnv } from './chat.env';
import { memeGatewayEnv } from './digest.env';
import { kbEnv } from './knowledge.env';

/** An IANA time zone name accepted by Intl (e.g. `Europe/Moscow`). */
export const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone such as Europe/Moscow' },
);

const url = (protocols: string[], hint: string) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, hint);

/** Settings every Kraken process reads: Redis, BullMQ prefix, logging, time zone, and opsEnv (Sentry, metrics, shutdown). */
export const baseEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_URL: url(['redis:', 'rediss:'], 'expected redis://host:port[/db]').default('redis://127.0.0.1:6379'),
  /**
   * Redis Cluster seed nodes, `host:port` separated by commas; unset for one Redis server. With it,
   * REDIS_URL gives only the user, password and TLS (`rediss://`) of every node, and QUEUE_PREFIX must
   * be a hash tag such as `{kraken}` (see redisTarget in @kraken/queue).
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^\s*[A-Za-z0-9_.\-\[\]:]+:\d+\s*(,\s*[A-Za-z0-9_.\-\[\]:]+:\d+\s*)*$/, 'expected host:port[,host:port…]')
    .optional(),
  /** Start of every Redis key of the deployment (BullMQ's and Kraken's); `{name}` makes it a Redis Cluster hash tag. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^(\{[A-Za-z0-9_-]+\}|[A-Za-z0-9_-]+)$/, 'expected letters, digits, "_" or "-", optionally in braces ({kraken})')
    .default('kraken'),
  KRAKEN_TIMEZONE: timeZone.default('Europe/Moscow'),
}).extend(opsEnv.shape);

/**
 * PostgreSQL, for processes that store or read facts: the connection URL and DATABASE_POOL_SIZE, the
 * most connections the process's PrismaService opens (node-postgres pool `max`, default 10).
 */
export const databaseEnv = z.object({
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'expected postgresql://user@host:port/db'),
  DATABASE_POOL_SIZE: intFrom(1, 10),
});

/**
 * The Bot API: token and API root. The token format (`<bot id>:<secret>`) is the one @BotFather issues
 * (https://core.telegram.org/bots/api#authorizing-your-bot).
 */
export const telegramEnv = z.object({
  BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'expected the token from @BotFather, e.g. 123456:ABC-DEF'),
  TELEGRAM_API_ROOT: url(['http:', 'https:'], 'expected an http(s) URL').default('https://api.telegram.org'),
});

/**
 * Workers that check chat admins (ChatAdmins in @kraken/outbox: /usage, /policy, /digest, meme
 * moderation): how long a chat's getChatAdministrators list is cached in Redis, in seconds (0: no
 * cache). The gateway drops a chat's entry when a `chat_member` update changes an admin.
 */
export const chatAdminsEnv = z.object({
  ADMIN_CACHE_SECONDS: intFrom(0, 300),
});

/**
 * The outbox worker: OUTBOX_WORKER runs it in this process (any app may; the gateway does by default,
 * other apps do not), and its limits, whose defaults are Telegram's published broadcast limits
 * (https://core.telegram.org/bots/faq).
 */
export const outboxEnv = z.object({
  OUTBOX_WORKER: z.stringbool({ error: 'expected true or false' }).default(false),
  OUTBOX_GLOBAL_PER_SECOND: intFrom(1, 30),
  OUTBOX_CHAT_PER_SECOND: intFrom(1, 1),
  OUTBOX_GROUP_PER_MINUTE: intFrom(1, 20),
  OUTBOX_CONCURRENCY: intFrom(1, 8),
});

/**
 * Gateway: webhook or long polling. In webhook mode `WEBHOOK_SECRET` is required; Telegram allows
 * 1-256 characters of A-Z, a-z, 0-9, _ and - (https://core.telegram.org/bots/api#setwebhook), and
 * Kraken requires at least 16 of them: the secret is all that keeps strangers from posting updates.
 */
export const gatewayEnv = baseEnv
  .merge(telegramEnv)
  .merge(outboxEnv)
  .merge(chatTriggerEnv)
  .merge(memeGatewayEnv)
  .merge(adminEnv)
  .extend({
    PORT: intFrom(0, 3000),
    HOST: z.string().default('0.0.0.0'),
    TELEGRAM_MODE: z.enum(['webhook', 'polling']).default('webhook'),
    WEBHOOK_URL: url(['https:', 'http:'], 'expected the public https URL Telegram posts to').optional(),
    WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'expected 16-256 characters of A-Z a-z 0-9 _ - (Telegram allows only these; 16 or more so it cannot be guessed)')
      .optional(),
    WEBHOOK_MAX_BODY_BYTES: intFrom(1024, 1_048_576),
    ENQUEUE_TIMEOUT_MS: intFrom(50, 2000),
    /** The gateway carries the Bot API calls unless told otherwise (OUTBOX_WORKER=false: ingest only). */
    OUTBOX_WORKER: outboxEnv.shape.OUTBOX_WORKER.unwrap().default(true),
  })
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_MODE === 'webhook' && !env.WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'required when TELEGRAM_MODE=webhook' });
    }
    checkAdminCredentials(env, ctx);
  });

/** Stats worker: batching, retention and schedules. */
export const statsWorkerEnv = baseEnv
  .merge(databaseEnv)
  .merge(telegramEnv.partial({ BOT_TOKEN: true }))
  .merge(healthPortEnv(9464))
  .extend({
    // Twice STATS_BATCH_SIZE: one batch fills while another is written (jobs in flight must cover the write time).
    STATS_CONCURRENCY: intFrom(1, 1000),
    STATS_BATCH_SIZE: intFrom(1, 500),
    STATS_BATCH_MS: intFrom(0, 10),
    STATS_LOCK_MS: intFrom(1000, 30_000),
    TEXT_RETENTION_DAYS: intFrom(1, 40),
    PURGE_CRON: z.string().default('0 30 3 * * *'),
    MEMBER_COUNT_CRON: z.string().default('0 5 0 * * *'),
  });

/** CLI: the union of what its commands may need; each command checks what it uses. */
export const cliEnv = baseEnv.extend(kbEnv.shape).extend({
  DATABASE_URL: databaseEnv.shape.DATABASE_URL.default('postgresql://postgres@127.0.0.1:5432/kraken'),
  BOT_TOKEN: telegramEnv.shape.BOT_TOKEN.optional(),
  TELEGRAM_API_ROOT: telegramEnv.shape.TELEGRAM_API_ROOT,
  WEBHOOK_SECRET: z.string().optional(),
});

export type BaseEnv = z.infer<typeof baseEnv>;
export type ChatAdminsEnv = z.infer<typeof chatAdminsEnv>;
export type GatewayEnv = z.infer<typeof gatewayEnv>;
export type StatsWorkerEnv = z.infer<typeof statsWorkerEnv>;
export type CliEnv = z.infer<typeof cliEnv>;
