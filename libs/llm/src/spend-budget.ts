import type { Redis } from 'ioredis';

/** Spend limits of one spender, in USD per day and per calendar month (0 refuses everything). */
export interface SpendLimits {
  dailyUsd: number;
  monthlyUsd: number;
}

/** Money held for one LLM call by SpendBudget.reserve, released or corrected by settle. */
export interface BudgetReservation {
  subject: string;
  /** Reserved amount in units of 1e-8 USD (the scale of the usage tables). */
  units: number;
  /** The day and month counters the amount was added to. */
  keys: [string, string];
}

/** Why a reservation was refused: the limit of `period` would be exceeded; it resets at `resetAt`. */
export interface BudgetRefusal {
  period: 'day' | 'month';
  limitUsd: number;
  /** Spent and reserved in the period so far, USD. */
  usedUsd: number;
  resetAt: Date;
}

/** What reserve returns: the reservation, or the refusal. */
export type ReserveOutcome = { ok: true; reservation: BudgetReservation } | ({ ok: false } & BudgetRefusal);

/** 1 USD in the ledger's integer units (1e-8 USD, NUMERIC(14,8) in PostgreSQL). */
const UNITS_PER_USD = 100_000_000;
/** Counters outlive their period a little, then expire (seconds). */
const DAY_KEY_TTL_SECONDS = 2 * 24 * 3600;
const MONTH_KEY_TTL_SECONDS = 32 * 24 * 3600;

/**
 * Adds ARGV[1] to both counters when neither would then exceed its limit (ARGV[2] day, ARGV[3] month);
 * one atomic step, so concurrent reservations can never pass a limit together.
 * Returns {1} or {0, 1 (day) | 2 (month), used units}.
 */
const RESERVE = `
local day = tonumber(redis.call('GET', KEYS[1]) or '0')
local month = tonumber(redis.call('GET', KEYS[2]) or '0')
local amount = tonumber(ARGV[1])
if day + amount > tonumber(ARGV[2]) then return {0, 1, day} end
if month + amount > tonumber(ARGV[3]) then return {0, 2, month} end
redis.call('INCRBY', KEYS[1], amount)
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('INCRBY', KEYS[2], amount)
redis.call('EXPIRE', KEYS[2], ARGV[5])
return {1}
`;

/**
 * Per-spender LLM budgets in Redis: before a call its worst-case cost is reserved against the
 * spender's daily and monthly limits in one atomic step (a Lua script), and after the call the
 * reservation is settled with the real cost (or released with 0). Days and months are cut in the
 * given IANA time zone (KRAKEN_TIMEZONE).
 *
 * A spender is any string: the HTTP API uses `tg:<telegram user id>` for accounts linked to Telegram
 * (so whatever the bot spends for that person under the same subject counts too) and
 * `api:<account id>` otherwise. Keys: `<prefix>:budget:{<subject>}:d:<YYYY-MM-DD>` and
 * `…:m:<YYYY-MM>` (one hash slot per subject), holding 1e-8 USD units; they expire after the period.
 */
export class SpendBudget {
  /**
   * @param redis an ioredis client owned by the caller
   * @param prefix key prefix (QUEUE_PREFIX)
   * @param timeZone IANA time zone days and months are cut in
   * @param now clock in ms since the epoch (tests)
   */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly timeZone: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Reserves `amountUsd` for `subject` unless its day or month would go over `limits`.
   * @throws the Redis error
   */
  async reserve(subject: string, amountUsd: number, limits: SpendLimits): Promise<ReserveOutcome> {
    const at = this.now();
    const keys = this.keys(subject, at);
    const units = toUnits(amountUsd);
    const result = (await this.redis.eval(
      RESERVE,
      2,
      keys[0],
      keys[1],
      units,
      toUnits(limits.dailyUsd),
      toUnits(limits.monthlyUsd),
      DAY_KEY_TTL_SECONDS,
      MONTH_KEY_TTL_SECONDS,
    )) as number[];
    if (result[0] === 1) return { ok: true, reservation: { subject, units, keys } };
    const period = result[1] === 1 ? 'day' : 'month';
    return {
      ok: false,
      period,
      limitUsd: period === 'day' ? limits.dailyUsd : limits.monthlyUsd,
      usedUsd: Number(result[2]) / UNITS_PER_USD,
      resetAt: new Date(nextBoundary(at, (ms) => periodKey(ms, this.timeZone, period))),
    };
  }

  /**
   * Replaces a reservation by the real cost `actualUsd` (0 releases it). Settling twice is the
   * caller's mistake: call it exactly once per reservation.
   * @throws the Redis error
   */
  async settle(reservation: BudgetReservation, actualUsd: number): Promise<void> {
    const delta = toUnits(actualUsd) - reservation.units;
    if (delta === 0) return;
    await this.redis.multi().incrby(reservation.keys[0], delta).incrby(reservation.keys[1], delta).exec();
  }

  /** What `subject` has spent and reserved today and this month, USD. @throws the Redis error. */
  async used(subject: string): Promise<{ dayUsd: number; monthUsd: number }> {
    const [day, month] = await this.redis.mget(...this.keys(subject, this.now()));
    return { dayUsd: Number(day ?? 0) / UNITS_PER_USD, monthUsd: Number(month ?? 0) / UNITS_PER_USD };
  }

  private keys(subject: string, at: number): [string, string] {
    const base = `${this.prefix}:budget:{${subject}}`;
    return [`${base}:d:${periodKey(at, this.timeZone, 'day')}`, `${base}:m:${periodKey(at, this.timeZone, 'month')}`];
  }
}

/** USD → ledger units, rounded up (a reservation never holds less than asked). */
function toUnits(usd: number): number {
  return Math.ceil(usd * UNITS_PER_USD - 1e-6);
}

/** Formatters by time zone and period (building one costs far more than using it). */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD` (day) or `YYYY-MM` (month) of instant `ms` in `timeZone`. */
function periodKey(ms: number, timeZone: string, period: 'day' | 'month'): string {
  const id = `${timeZone}|${period}`;
  let format = formatters.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', ...(period === 'day' ? { day: '2-digit' } : {}) });
    formatters.set(id, format);
  }
  return format.format(ms);
}

/**
 * The first instant after `from` (ms) whose key differs from `from`'s: the start of the next day or
 * month in the time zone. Steps an hour at a time (time zones move midnight by whole or half hours
 * at most ±14 h), then narrows to the millisecond.
 */
function nextBoundary(from: number, key: (ms: number) => string): number {
  const current = key(from);
  let low = from;
  let high = from + 3_600_000;
  while (key(high) === current) {
    low = high;
    high += 3_600_000;
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (key(mid) === current) low = mid;
    else high = mid;
  }
  return high;
}
