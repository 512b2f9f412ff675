import { BotApiError, defaultDescription } from './bot-api-error';
import type { DropConnectionOptions, FailRatioOptions, InjectFailureOptions, LatencyOptions } from './emulator-types';
import { seededRandom } from './seeded-random';

interface Match {
  /** Lower-cased method name, or undefined for any method. */
  method?: string;
  chatId?: string;
}

interface CountedRule extends Match {
  remaining: number;
  error: () => BotApiError;
}

interface DropRule extends Match {
  remaining: number;
}

interface LatencyRule extends Match {
  ms: number;
  remaining: number;
}

interface RatioRule extends Match {
  ratio: number;
  untilMs: number;
  random: () => number;
  error: () => BotApiError;
}

/** Epoch-ms values below this are read as durations (see FailRatioOptions.untilMs). */
const EPOCH_MS_THRESHOLD = 1e12;

/**
 * Decides which requests fail on purpose. Counted rules (`inject`) are consumed in the order they
 * were added, one per matching request; ratio rules (`failRatio`) fail each matching request with
 * their probability, drawn from a seeded RNG so runs are reproducible. A 429 carries
 * `parameters.retry_after` like Telegram's flood-control answers
 * (https://core.telegram.org/bots/api#responseparameters). Drop rules (`drop`) close the connection
 * without an answer (a network failure: the call is not executed); latency rules (`latency`) let the
 * call run at once and delay its answer.
 */
export class FaultInjector {
  private counted: CountedRule[] = [];
  private ratios: RatioRule[] = [];
  private drops: DropRule[] = [];
  private latencies: LatencyRule[] = [];

  constructor(
    private readonly seed: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Adds a rule failing the next `times` (default 1) matching requests.
   *
   * @throws Error on an invalid errorCode (< 400) or times (< 1).
   */
  inject(options: InjectFailureOptions): void {
    const times = positiveTimes('injectFailure', options.times ?? 1);
    this.counted.push({ ...toMatch(options), remaining: times, error: errorFactory(options.errorCode, options.description, options.retryAfter) });
  }

  /**
   * Adds a rule failing matching requests with probability `ratio` until `untilMs`/`durationMs`.
   *
   * @throws Error on a ratio outside [0, 1] or an invalid errorCode.
   */
  failRatio(options: FailRatioOptions): void {
    if (!(options.ratio >= 0 && options.ratio <= 1)) throw new Error(`failRatio: ratio must be within [0, 1], got ${options.ratio}`);
    let untilMs = Number.POSITIVE_INFINITY;
    if (options.durationMs !== undefined) untilMs = this.now() + options.durationMs;
    else if (options.untilMs !== undefined) {
      untilMs = options.untilMs < EPOCH_MS_THRESHOLD ? this.now() + options.untilMs : options.untilMs;
    }
    this.ratios.push({
      ...toMatch(options),
      ratio: options.ratio,
      untilMs,
      random: seededRandom(options.seed ?? this.seed),
      error: errorFactory(options.errorCode ?? 429, options.description, options.retryAfter),
    });
  }

  /**
   * Adds a rule closing the connection of the next `times` (default 1) matching requests unanswered.
   * @throws Error on an invalid times (< 1).
   */
  drop(options: DropConnectionOptions): void {
    this.drops.push({ ...toMatch(options), remaining: positiveTimes('dropConnection', options.times ?? 1) });
  }

  /**
   * Adds a rule delaying the answer of matching requests by `options.ms` (the next `times`, or all).
   * @throws Error on a negative or non-finite ms, or an invalid times.
   */
  latency(options: LatencyOptions): void {
    if (!(Number.isFinite(options.ms) && options.ms >= 0)) throw new Error(`addLatency: ms must be a non-negative number, got ${options.ms}`);
    const remaining = options.times === undefined ? Number.POSITIVE_INFINITY : positiveTimes('addLatency', options.times);
    this.latencies.push({ ...toMatch(options), ms: options.ms, remaining });
  }

  /** Removes every rule. */
  clear(): void {
    this.counted = [];
    this.ratios = [];
    this.drops = [];
    this.latencies = [];
  }

  /** True when this request's connection must be closed unanswered (consumes a drop rule). */
  nextDrop(method: string, chatId: unknown): boolean {
    return consume(this.drops, request(method, chatId), (rules) => (this.drops = rules)) !== undefined;
  }

  /** How long to delay this request's answer, in ms (consumes a latency rule; 0 when none matches). */
  nextLatency(method: string, chatId: unknown): number {
    return consume(this.latencies, request(method, chatId), (rules) => (this.latencies = rules))?.ms ?? 0;
  }

  /** Number of counted failures still pending (for diagnostics). */
  pendingCount(): number {
    return this.counted.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  /** The error a request must fail with, consuming a counted rule, or undefined to let it through. */
  next(method: string, chatId: unknown): BotApiError | undefined {
    const call = request(method, chatId);
    const rule = consume(this.counted, call, (rules) => (this.counted = rules));
    if (rule) return rule.error();
    const now = this.now();
    this.ratios = this.ratios.filter((candidate) => candidate.untilMs > now);
    for (const ratio of this.ratios) {
      if (matches(ratio, call) && ratio.random() < ratio.ratio) return ratio.error();
    }
    return undefined;
  }
}

function request(method: string, chatId: unknown): { method: string; chatId?: string } {
  return { method: method.toLowerCase(), chatId: chatId === undefined ? undefined : String(chatId) };
}

/** Takes one use of the first rule matching `call`, dropping it (through `store`) when used up. */
function consume<R extends Match & { remaining: number }>(rules: R[], call: { method: string; chatId?: string }, store: (rules: R[]) => void): R | undefined {
  const rule = rules.find((candidate) => matches(candidate, call));
  if (!rule) return undefined;
  rule.remaining -= 1;
  if (rule.remaining <= 0) store(rules.filter((candidate) => candidate !== rule));
  return rule;
}

function positiveTimes(what: string, times: number): number {
  if (!Number.isInteger(times) || times < 1) throw new Error(`${what}: times must be a positive integer, got ${times}`);
  return times;
}

function toMatch(options: { method?: string; chatId?: number | string }): Match {
  return {
    method: options.method?.toLowerCase(),
    chatId: options.chatId === undefined ? undefined : String(options.chatId),
  };
}

function matches(rule: Match, request: { method: string; chatId?: string }): boolean {
  if (rule.method !== undefined && rule.method !== request.method) return false;
  return rule.chatId === undefined || rule.chatId === request.chatId;
}

function errorFactory(errorCode: number, description?: string, retryAfter?: number): () => BotApiError {
  if (!Number.isInteger(errorCode) || errorCode < 400 || errorCode > 599) {
    throw new Error(`errorCode must be an HTTP error status (400-599), got ${errorCode}`);
  }
  const retry = errorCode === 429 ? (retryAfter ?? 1) : retryAfter;
  const text = description ?? defaultDescription(errorCode, retry);
  return () => new BotApiError(errorCode, text, retry !== undefined ? { retry_after: retry } : undefined);
}
