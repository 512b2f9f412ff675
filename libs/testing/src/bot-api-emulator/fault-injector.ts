import { BotApiError, defaultDescription } from './bot-api-error';
import type { FailRatioOptions, InjectFailureOptions } from './emulator-types';
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
 * (https://core.telegram.org/bots/api#responseparameters).
 */
export class FaultInjector {
  private counted: CountedRule[] = [];
  private ratios: RatioRule[] = [];

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
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`injectFailure: times must be a positive integer, got ${times}`);
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

  /** Removes every rule. */
  clear(): void {
    this.counted = [];
    this.ratios = [];
  }

  /** Number of counted failures still pending (for diagnostics). */
  pendingCount(): number {
    return this.counted.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  /** The error a request must fail with, consuming a counted rule, or undefined to let it through. */
  next(method: string, chatId: unknown): BotApiError | undefined {
    const request = { method: method.toLowerCase(), chatId: chatId === undefined ? undefined : String(chatId) };
    const rule = this.counted.find((candidate) => matches(candidate, request));
    if (rule) {
      rule.remaining -= 1;
      if (rule.remaining === 0) this.counted = this.counted.filter((candidate) => candidate !== rule);
      return rule.error();
    }
    const now = this.now();
    this.ratios = this.ratios.filter((candidate) => candidate.untilMs > now);
    for (const ratio of this.ratios) {
      if (matches(ratio, request) && ratio.random() < ratio.ratio) return ratio.error();
    }
    return undefined;
  }
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
