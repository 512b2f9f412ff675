import { baseEnv, outboxEnv, parseConfig, telegramEnv } from '@kraken/config';
import { redisTarget, type RedisTarget } from '@kraken/redis';
import type { ConfigService } from '@nestjs/config';

const outboxWorkerFlag = outboxEnv.pick({ OUTBOX_WORKER: true });
const outboxWorkerEnv = telegramEnv.extend(outboxEnv.shape).extend({ REDIS_URL: baseEnv.shape.REDIS_URL });
const KEYS = Object.keys(outboxWorkerEnv.shape) as (keyof typeof outboxWorkerEnv.shape)[];

/** What the outbox worker needs: the Bot API, the limits and Redis. */
export interface OutboxWorkerSettings {
  botToken: string;
  /** Bot API root, e.g. https://api.telegram.org (or the local emulator in tests). */
  apiRoot: string;
  /** REDIS_URL and REDIS_CLUSTER_NODES (redisTarget). */
  redis: RedisTarget;
  /** Bot API calls per second across all workers (BullMQ limiter). */
  globalPerSecond: number;
  /** Messages per second to one chat. */
  chatPerSecond: number;
  /** Messages per minute to one group. */
  groupPerMinute: number;
  /** Jobs one worker process runs at once. */
  concurrency: number;
}

/**
 * Reads BOT_TOKEN, TELEGRAM_API_ROOT, REDIS_URL (with REDIS_CLUSTER_NODES) and OUTBOX_* from ConfigService and validates them
 * with the @kraken/config schemas, so apps whose own schema lacks OUTBOX_* still get the defaults
 * (Telegram's published limits).
 * @throws ConfigError naming each missing or invalid variable (e.g. BOT_TOKEN: required)
 */
export function readOutboxWorkerSettings(config: ConfigService): OutboxWorkerSettings {
  const raw: NodeJS.ProcessEnv = {};
  for (const key of KEYS) {
    const value: unknown = config.get(key);
    if (value !== undefined && value !== null) raw[key] = String(value);
  }
  const env = parseConfig(outboxWorkerEnv, raw);
  return {
    botToken: env.BOT_TOKEN,
    apiRoot: env.TELEGRAM_API_ROOT,
    redis: redisTarget(config),
    globalPerSecond: env.OUTBOX_GLOBAL_PER_SECOND,
    chatPerSecond: env.OUTBOX_CHAT_PER_SECOND,
    groupPerMinute: env.OUTBOX_GROUP_PER_MINUTE,
    concurrency: env.OUTBOX_CONCURRENCY,
  };
}

/**
 * Whether this process runs the outbox worker: OUTBOX_WORKER from ConfigService (or the environment,
 * for apps whose schema lacks it), `false` when unset.
 * @throws ConfigError when OUTBOX_WORKER is neither true nor false
 */
export function outboxWorkerEnabled(config: ConfigService): boolean {
  const value: unknown = config.get('OUTBOX_WORKER');
  return parseConfig(outboxWorkerFlag, value === undefined || value === null ? {} : { OUTBOX_WORKER: String(value) }).OUTBOX_WORKER;
}
