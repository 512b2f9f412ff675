/**
 * Replays Bot API updates to a webhook the way Telegram delivers them (Bot API "setWebhook"):
 * one HTTPS/HTTP POST per update, JSON body, header `X-Telegram-Bot-Api-Secret-Token: <secret>`.
 *
 * Outcome per update:
 * - 2xx → delivered;
 * - 5xx, 429 (Too Many Requests) or a network error / timeout → retried after a backoff of 100 ms
 *   doubling per retry, capped at 5 s, at most `maxRetries` times; when retries run out the update
 *   is recorded in `rejected` with the last status (0 for a network error) and body / error text;
 * - any other status (4xx, and 3xx: redirects are not followed, like Telegram) → recorded in
 *   `rejected`, not retried.
 * 429 is retried although it is a 4xx because it means "slow down", not "bad update": a rate-limited
 * gateway must not make a replay lose updates.
 *
 * Ordering: with `concurrency: 1`, update N+1 is sent only after update N is settled (delivered, or
 * rejected for good), so a receiver sees them in order. With `concurrency > 1`, at most
 * `concurrency` requests are in flight and updates are *started* in order, but they can arrive
 * and complete out of order (retries make this likelier): ordering is then not strict.
 */

/** Options of {@link replayUpdates}. */
export interface ReplayOptions {
  /** Webhook URL (http: or https:). */
  webhook: string;
  /** Secret token sent in `X-Telegram-Bot-Api-Secret-Token` (Bot API: 1-256 chars, A-Z a-z 0-9 _ -). */
  secret: string;
  /** Maximum updates started per second (default 200); 0 = unlimited. */
  rate?: number;
  /** Maximum requests in flight (default 8). 1 gives strict ordering. */
  concurrency?: number;
  /** Retries per update after the first attempt (default 20). */
  maxRetries?: number;
  /** Per-attempt timeout in milliseconds (default 10 000); a timeout counts as a network error. */
  requestTimeoutMs?: number;
  /** Called after each update is settled with (settled so far, total). */
  onProgress?: (sent: number, total: number) => void;
  /** Aborts the replay: in-flight requests are cancelled and the promise rejects with the reason. */
  signal?: AbortSignal;
}

/** An update the webhook did not accept. */
export interface RejectedUpdate {
  update_id: number;
  /** Last HTTP status, or 0 when the last attempt failed without a response. */
  status: number;
  /** Response body (first 2 000 chars) or the network error message. */
  body: string;
}

/** Result of {@link replayUpdates}. */
export interface ReplaySummary {
  total: number;
  delivered: number;
  /** Rejected updates, in update order. */
  rejected: RejectedUpdate[];
  /** Number of retry attempts made (not counting first attempts). */
  retries: number;
  /** Wall-clock duration of the replay in milliseconds. */
  elapsedMs: number;
}

/** Header Telegram sets to the webhook's secret_token. */
export const SECRET_TOKEN_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

const BACKOFF_START_MS = 100;
const BACKOFF_CAP_MS = 5_000;
const MAX_BODY_CHARS = 2_000;

type Attempt = { kind: 'delivered' } | { kind: 'retry' | 'rejected'; status: number; body: string };

/**
 * POSTs each update to `options.webhook` (see the module docstring for retries and ordering).
 *
 * @param updates objects with a numeric `update_id` (e.g. from `exportChatToUpdates`).
 * @returns counts, rejected updates and timing once every update is settled.
 * @throws TypeError / RangeError for an invalid webhook URL, secret or numeric option; rejects with
 *   `signal.reason` when aborted.
 */
export async function replayUpdates(
  updates: ReadonlyArray<{ update_id: number }>,
  options: ReplayOptions,
): Promise<ReplaySummary> {
  const settings = validate(options);
  const started = performance.now();
  const total = updates.length;
  const outcomes: Array<RejectedUpdate | undefined> = new Array(total);
  let delivered = 0;
  let retries = 0;
  let settled = 0;
  let nextIndex = 0;

  // One controller aborts in-flight requests on user abort or on an unexpected worker failure.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const pace = pacer(settings.rate);

  const worker = async (): Promise<void> => {
    while (nextIndex < total) {
      stop.signal.throwIfAborted();
      const index = nextIndex++;
      await pace(stop.signal);
      const update = updates[index];
      const body = JSON.stringify(update);
      for (let attempt = 0; ; attempt++) {
        const result = await post(settings.webhook, options.secret, body, settings.requestTimeoutMs, stop.signal);
        if (result.kind === 'delivered') {
          delivered++;
          break;
        }
        if (result.kind === 'rejected' || attempt >= settings.maxRetries) {
          outcomes[index] = { update_id: update.update_id, status: result.status, body: result.body };
          break;
        }
        retries++;
        await sleep(Math.min(BACKOFF_START_MS * 2 ** attempt, BACKOFF_CAP_MS), stop.signal);
      }
      settled++;
      options.onProgress?.(settled, total);
    }
  };

  try {
    const workers = Array.from({ length: Math.min(settings.concurrency, total) }, () =>
      worker().catch((error: unknown) => {
        stop.abort(error);
        throw error;
      }),
    );
    const results = await Promise.allSettled(workers);
    if (stop.signal.aborted) throw stop.signal.reason;
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  return {
    total,
    delivered,
    rejected: outcomes.filter((o): o is RejectedUpdate => o !== undefined),
    retries,
    elapsedMs: Math.round(performance.now() - started),
  };
}

async function post(url: string, secret: string, body: string, timeoutMs: number, signal: AbortSignal): Promise<Attempt> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [SECRET_TOKEN_HEADER]: secret },
      body,
      redirect: 'manual',
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
  } catch (error) {
    signal.throwIfAborted();
    return { kind: 'retry', status: 0, body: describeError(error) };
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    signal.throwIfAborted();
    return { kind: 'retry', status: 0, body: describeError(error) };
  }
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  const kind = status >= 500 || status === 429 ? 'retry' : 'rejected';
  return { kind, status, body: text.slice(0, MAX_BODY_CHARS) };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

/** Returns a function that waits for the next send slot so at most `rate` sends start per second. */
function pacer(rate: number): (signal: AbortSignal) => Promise<void> {
  if (rate === 0) return async () => undefined;
  const intervalMs = 1000 / rate;
  let nextSlot = performance.now();
  return async (signal) => {
    const now = performance.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + intervalMs;
    if (slot > now) await sleep(slot - now, signal);
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function validate(options: ReplayOptions): Required<Pick<ReplayOptions, 'rate' | 'concurrency' | 'maxRetries' | 'requestTimeoutMs'>> & {
  webhook: string;
} {
  let url: URL;
  try {
    url = new URL(options.webhook);
  } catch {
    throw new TypeError(`webhook is not a valid URL: ${JSON.stringify(options.webhook)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`webhook must be an http: or https: URL, got ${url.protocol}`);
  }
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(options.secret)) {
    throw new TypeError('secret must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Bot API setWebhook secret_token)');
  }
  const rate = options.rate ?? 200;
  const concurrency = options.concurrency ?? 8;
  const maxRetries = options.maxRetries ?? 20;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  if (!Number.isFinite(rate) || rate < 0) throw new RangeError(`rate must be a finite number >= 0, got ${rate}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
  }
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new RangeError(`maxRetries must be an integer >= 0, got ${maxRetries}`);
  }
  if (!Number.isFinite(requestTimeoutMs) || requestTimeoutMs <= 0) {
    throw new RangeError(`requestTimeoutMs must be a number > 0, got ${requestTimeoutMs}`);
  }
  return { webhook: url.href, rate, concurrency, maxRetries, requestTimeoutMs };
}
