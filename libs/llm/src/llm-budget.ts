import { dayOf } from '@kraken/stats';
import type { BudgetCounter, LlmBudgetRepository } from './budget-repository';
import { LlmBudgetExceededError, type BudgetRefusal } from './llm-errors';

/**
 * A caller's own budget on top of the chat and global ones (LlmRequest.spender), e.g. an HTTP API
 * account: its counters live under `scope`; USD per day and per month, 0 switches one off.
 */
export interface SpenderBudget {
  /** Counter scope, e.g. `user:api:<account id>` or `user:tg:<telegram user id>`. */
  scope: string;
  dailyUsd: number;
  monthlyUsd: number;
}

/** The budgets in USD; 0 switches one off. */
export interface BudgetLimits {
  /** One chat per day (LLM_BUDGET_CHAT_DAILY_USD). */
  chatDailyUsd: number;
  /** One chat per month (LLM_BUDGET_CHAT_MONTHLY_USD). */
  chatMonthlyUsd: number;
  /** Every call of the deployment per day (LLM_BUDGET_DAILY_USD). */
  dailyUsd: number;
  /** Every call of the deployment per month (LLM_BUDGET_MONTHLY_USD). */
  monthlyUsd: number;
}

/**
 * Spend ceilings for LLM calls: before a call its worst-case cost is reserved against every budget
 * that applies (the deployment's daily and monthly ones, the chat's when the call has a chat, and the
 * caller's own when it names a SpenderBudget), and
 * settled with the real cost afterwards. Days and months are cut in `tz` (KRAKEN_TIMEZONE). The
 * counters live in PostgreSQL (LlmBudgetRepository: row locks, one transaction per reservation), so
 * they survive restarts and a Redis loss, and concurrent calls never pass a limit.
 */
export class LlmBudget {
  constructor(
    private readonly repository: LlmBudgetRepository,
    private readonly limits: BudgetLimits,
    private readonly tz: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** True when at least one budget is set. */
  isActive(): boolean {
    return Object.values(this.limits).some((usd) => usd > 0);
  }

  /**
   * Reserves `usd` (a worst case) under `key` for a call of `chatId` (none: no chat budget) and of
   * `spender` (none: no own budget); the global budgets always apply. All counters in one transaction.
   * @throws LlmBudgetExceededError naming the first budget it would pass, with its reset time; the database error
   */
  async reserve(key: string, usd: number, chatId?: number, spender?: SpenderBudget): Promise<void> {
    const now = this.now();
    // A 0 limit of one's own budget refuses everything (unlike the deployment's, where 0 switches it off).
    const closed = spender && (spender.dailyUsd === 0 ? 'day' : spender.monthlyUsd === 0 ? 'month' : undefined);
    if (closed) throw new LlmBudgetExceededError({ scope: 'spender', period: closed, limitUsd: 0, resetAt: nextPeriodStart(now, this.tz, closed) });
    const counters = this.counters(now, chatId, spender);
    if (counters.length === 0) return;
    const refused = await this.repository.reserve(key, usd, counters.map((c) => c.counter));
    if (!refused) return;
    const refusal = counters.find((c) => c.counter === refused)!.refusal;
    throw new LlmBudgetExceededError({ ...refusal, resetAt: nextPeriodStart(now, this.tz, refusal.period) });
  }

  /** Replaces the reservation `key` by the real cost `usd`. @throws the database error */
  async settle(key: string, usd: number): Promise<void> {
    await this.repository.settle(key, usd);
  }

  private counters(now: Date, chatId?: number, spender?: SpenderBudget): Array<{ counter: BudgetCounter; refusal: Omit<BudgetRefusal, 'resetAt'> }> {
    const day = `day:${dayOf(now, this.tz)}`;
    const month = `month:${dayOf(now, this.tz).slice(0, 7)}`;
    const all: Array<{ counter: BudgetCounter; refusal: Omit<BudgetRefusal, 'resetAt'> }> = [
      { counter: { scope: 'global', period: day, limitUsd: this.limits.dailyUsd }, refusal: { scope: 'global', period: 'day', limitUsd: this.limits.dailyUsd } },
      { counter: { scope: 'global', period: month, limitUsd: this.limits.monthlyUsd }, refusal: { scope: 'global', period: 'month', limitUsd: this.limits.monthlyUsd } },
    ];
    if (chatId !== undefined) {
      const scope = `chat:${chatId}`;
      all.push(
        { counter: { scope, period: day, limitUsd: this.limits.chatDailyUsd }, refusal: { scope: 'chat', period: 'day', limitUsd: this.limits.chatDailyUsd } },
        { counter: { scope, period: month, limitUsd: this.limits.chatMonthlyUsd }, refusal: { scope: 'chat', period: 'month', limitUsd: this.limits.chatMonthlyUsd } },
      );
    }
    if (spender) {
      all.push(
        { counter: { scope: spender.scope, period: day, limitUsd: spender.dailyUsd }, refusal: { scope: 'spender', period: 'day', limitUsd: spender.dailyUsd } },
        { counter: { scope: spender.scope, period: month, limitUsd: spender.monthlyUsd }, refusal: { scope: 'spender', period: 'month', limitUsd: spender.monthlyUsd } },
      );
    }
    return all.filter((c) => c.counter.limitUsd > 0);
  }
}

/**
 * The first instant after `now` in the next day (`day`) or month (`month`) of time zone `tz`, to the
 * millisecond: stepped an hour at a time (days start at whole or half hours), then narrowed by halving.
 */
export function nextPeriodStart(now: Date, tz: string, period: 'day' | 'month'): Date {
  const key = (ms: number) => (period === 'day' ? dayOf(new Date(ms), tz) : dayOf(new Date(ms), tz).slice(0, 7));
  const current = key(now.getTime());
  let low = now.getTime();
  let high = low + 3_600_000;
  while (key(high) === current) {
    low = high;
    high += 3_600_000;
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (key(mid) === current) low = mid;
    else high = mid;
  }
  return new Date(high);
}
