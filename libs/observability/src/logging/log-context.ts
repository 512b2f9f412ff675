import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';
import type { Logger as PinoInstance } from 'pino';

/** Fields added to every log line written while a job or an update is being handled. */
export interface LogContext {
  jobId?: string;
  queue?: string;
  job?: string;
  updateId?: number;
  chatId?: number | string;
}

/**
 * Runs `fn` with `context` bound to every log line it writes through Nest's Logger or nestjs-pino
 * (also in callbacks and awaited calls: nestjs-pino keeps its logger in an AsyncLocalStorage, and
 * this runs `fn` in a child of the current one). Without a configured nestjs-pino (unit tests,
 * scripts) `fn` simply runs.
 * The child logger is made on the first line logged, not up front: pino's `child` runs the
 * redaction paths over the bindings, which costs more than a whole stats job, and most jobs and
 * updates log nothing.
 * @returns what `fn` returns
 */
export function runWithLogContext<T>(context: LogContext, fn: () => T): T {
  const parent = storage.getStore()?.logger ?? (PinoLogger.root as PinoInstance | undefined);
  if (!parent) return fn();
  const store = new Store(parent);
  let child: PinoInstance | undefined;
  Object.defineProperty(store, 'logger', {
    get: () => (child ??= parent.child(withoutUndefined(context))),
    set: (logger: PinoInstance) => (child = logger), // PinoLogger.assign replaces it
    enumerable: true,
  });
  return storage.run(store, fn);
}

/**
 * The log context of a BullMQ job: job id, queue and job name, plus the Telegram update id and
 * chat id when the job's data carries them (`updateId`; `chatId`, `chat.id` or `chat_id`, as in
 * Kraken's stats facts and outbox calls).
 */
export function jobLogContext(job: Job): LogContext {
  const data = (typeof job.data === 'object' && job.data !== null ? job.data : {}) as Record<string, unknown>;
  const chat = data.chat as { id?: unknown } | undefined;
  const params = data.params as { chat_id?: unknown } | undefined;
  return {
    jobId: job.id,
    queue: job.queueName,
    job: job.name,
    updateId: typeof data.updateId === 'number' ? data.updateId : undefined,
    chatId: asChatId(data.chatId) ?? asChatId(chat?.id) ?? asChatId(params?.chat_id),
  };
}

function asChatId(value: unknown): number | string | undefined {
  return typeof value === 'number' || typeof value === 'string' ? value : undefined;
}

function withoutUndefined(context: LogContext): Record<string, unknown> {
  return Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined));
}
