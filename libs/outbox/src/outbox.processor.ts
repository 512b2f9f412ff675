import { createRedis, type RedisClient } from '@kraken/redis';
import { Metrics, type JobRun } from '@kraken/observability';
import { Logger } from '@nestjs/common';
import { DelayedError, Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Telegram } from 'telegraf';
import { ChatRateLimiter } from './chat-rate-limiter';
import { outboxFailureReason } from './outbox-call-failed.error';
import type { OutboxJobData } from './outbox-job';
import type { OutboxWorkerSettings } from './outbox-settings';
import { toTelegrafPayload } from './outbox-upload';
import { SentMarkers } from './sent-markers';
import { classifyTelegramFailure } from './telegram-failure';

/** Longest one Bot API request may take before it is aborted and retried as a network error, in ms. */
export const REQUEST_TIMEOUT_MS = 120_000;

type RawCallApi = (method: string, payload: Record<string, unknown>, options: { signal: AbortSignal }) => Promise<unknown>;

/**
 * Worker of the `outbox` queue: runs each job's Bot API call with Telegraf's client
 * (`telegram.callApi(method, params)`) and returns Telegram's `result` as the job's return value.
 *
 * Limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
 * - about 30 calls/s overall: the BullMQ worker limiter (shared by all workers of the queue; note that
 *   a job held back by a per-chat limit also uses one of these tokens);
 * - per chat, for `isMessage` calls with a chatId: ChatRateLimiter (1 message/s per chat, 20/min per
 *   group). A held-back job is moved to the delayed set (`job.moveToDelayed` + DelayedError), which
 *   does not consume an attempt.
 *
 * Failures (https://core.telegram.org/bots/api#responseparameters):
 * - 429: the job is delayed by `retry_after` seconds without consuming an attempt, as often as
 *   Telegram asks; with a chatId the chat's limiter is paused as long, so its other messages wait too;
 *   without one the whole queue is rate-limited (`queue.rateLimit` + Worker.RateLimitError).
 * - other 4xx except 401: UnrecoverableError whose message is outboxFailureReason (method, error code,
 *   Telegram's description), which OutboxCallFailedError reads back; the job ends in the failed set
 *   (kept a week) and the failure is logged as an error.
 * - network errors, timeouts (REQUEST_TIMEOUT_MS), 5xx, 401: rethrown; BullMQ retries with the capped
 *   exponential back-off of OUTBOX_JOB_OPTIONS (30 attempts, about 5 hours).
 *
 * Delivery: once Telegram answered ok, the result is stored as a sent marker (SentMarkers, 24 h)
 * before the job completes; a re-run of the job id returns the stored result without calling
 * Telegram. The call and the marker write run under JobRun.withoutHandBack: a shutdown whose grace
 * period ends mid-call hands the job back only after the marker is written (no new call starts once
 * a hand-back began), so a rolling restart never makes another process send it again. Duplicates remain possible only when (a) the process dies or Redis is unreachable between
 * Telegram's answer and the marker write (one Redis round trip), or (b) Telegram executed a call whose
 * answer was lost (timeout, connection reset) — that call is retried.
 *
 * Ordering: jobs are taken from the queue in FIFO order (priority and delay aside), but with
 * concurrency > 1 or several workers, calls to one chat may overtake each other; held-back jobs are
 * rescheduled behind the ones held back before them in the same limiter window (see
 * ChatRateLimiter.reserve), so a burst to one chat is normally delivered in order. Strict per-chat
 * order is not guaranteed: a retry after a 5xx, a 429, or a message enqueued while an older backlog is
 * draining can overtake. A caller that needs strict order waits for one call before enqueueing the next.
 *
 * Run by OutboxWorker (QueueWorkers, with concurrency and the limiter from configuration) in every
 * app with OUTBOX_WORKER=true; do not provide this class directly.
 */
export class OutboxProcessor {
  private readonly logger = new Logger('Outbox');
  private readonly redis: RedisClient;
  private readonly telegram: Telegram;
  private readonly limiter: ChatRateLimiter;
  private readonly markers: SentMarkers;

  /**
   * @param settings validated configuration (readOutboxWorkerSettings)
   * @param queue the registered outbox queue; its prefix scopes markers and limiter keys
   */
  constructor(
    settings: OutboxWorkerSettings,
    private readonly queue: Queue,
  ) {
    const prefix = queue.opts.prefix ?? 'bull';
    this.redis = createRedis(settings.redis, 'worker');
    this.redis.on('error', (error) => this.logger.warn(`outbox Redis client: ${error.message}`));
    this.telegram = new Telegram(settings.botToken, { apiRoot: settings.apiRoot });
    this.limiter = new ChatRateLimiter(this.redis, prefix, settings);
    this.markers = new SentMarkers(this.redis, prefix);
  }

  /**
   * Runs one outbox job.
   * @returns Telegram's `result` for the call (e.g. the sent Message), or the stored result when the
   *   job was already accepted by Telegram
   * @throws DelayedError when the job was moved to the delayed set (limit or 429), RateLimitError when
   *   the queue was rate-limited, UnrecoverableError for permanent Telegram errors, the original error
   *   for transient ones
   * @param token the job's lock token; `run` its JobRun (the call and its sent marker run without hand-back)
   */
  async process(job: Job<OutboxJobData>, token: string, run: JobRun): Promise<unknown> {
    const jobId = job.id;
    if (!jobId) throw new UnrecoverableError('outbox job without an id'); // never happens for queued jobs
    const marker = await this.markers.get(jobId);
    if (marker.found) {
      Metrics.outboxSends.inc({ method: job.data.method, outcome: 'already_sent' });
      this.logger.log(`${describe(job)} was already accepted by Telegram; returning the stored result`);
      return marker.result;
    }
    const { chatId, isMessage } = job.data;
    if (isMessage && chatId !== undefined) {
      const waitMs = await this.limiter.reserve(chatId);
      if (waitMs > 0) return this.postpone(job, token, waitMs);
    }
    const send = async (): Promise<unknown> => {
      const result = await this.callTelegram(job, token);
      Metrics.outboxSends.inc({ method: job.data.method, outcome: 'sent' });
      await this.markers.set(jobId, result);
      return result;
    };
    return run.withoutHandBack(send);
  }

  /** Closes the limiter/marker Redis client (after the worker drained). */
  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async callTelegram(job: Job<OutboxJobData>, token: string): Promise<unknown> {
    const callApi = this.telegram.callApi.bind(this.telegram) as unknown as RawCallApi;
    try {
      return await callApi(job.data.method, toTelegrafPayload(job.data.params), {
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      return this.handleFailure(job, token, error);
    }
  }

  private async handleFailure(job: Job<OutboxJobData>, token: string, error: unknown): Promise<never> {
    const failure = classifyTelegramFailure(error);
    const what = describe(job);
    const outcome = failure.kind === 'flood' ? '429' : failure.kind === 'permanent' ? 'permanent_error' : 'transient_error';
    Metrics.outboxSends.inc({ method: job.data.method, outcome });
    switch (failure.kind) {
      case 'flood': {
        const { chatId } = job.data;
        this.logger.warn(`${what}: Telegram answered ${failure.description}; retrying in ${failure.retryAfterMs} ms`);
        if (chatId !== undefined) {
          await this.limiter.pause(chatId, failure.retryAfterMs);
          return this.postpone(job, token, failure.retryAfterMs);
        }
        await this.queue.rateLimit(failure.retryAfterMs);
        throw Worker.RateLimitError();
      }
      case 'permanent': {
        const { errorCode, description, retryAfter } = failure;
        const reason = outboxFailureReason({ method: job.data.method, errorCode, description, ...(retryAfter === undefined ? {} : { retryAfter }) });
        this.logger.error(`${what} failed permanently (kept in the failed set): ${errorCode} ${description}`);
        throw new UnrecoverableError(reason);
      }
      case 'transient': {
        const attempt = job.attemptsMade + 1;
        const attempts = job.opts.attempts ?? 1;
        const outcome = attempt >= attempts ? 'giving up (kept in the failed set)' : 'will retry';
        this.logger[attempt >= attempts ? 'error' : 'warn'](
          `${what} attempt ${attempt}/${attempts} failed: ${failure.description}; ${outcome}`,
        );
        throw error;
      }
    }
  }

  /** Moves the active job to the delayed set for `ms` without consuming an attempt. */
  private async postpone(job: Job, token: string, ms: number): Promise<never> {
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  }
}

function describe(job: Job<OutboxJobData>): string {
  const chat = job.data.chatId === undefined ? '' : ` to chat ${job.data.chatId}`;
  return `outbox job ${job.id} (${job.data.method}${chat})`;
}
