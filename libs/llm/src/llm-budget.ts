import { dayOf } from '@kraken/stats';
import type { BudgetCounter, LlmBudgetRepository } from './budget-repository';
import { LlmBudgetExceededError, type BudgetRefusal } from './llm-errors';

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
 * that applies (the deployment's daily and monthly ones, and the chat's when the call has a chat), and
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
   * Reserves `usd` (a worst case) under `key` for a call of `chatId` (none: only the global budgets).
   * @throws LlmBudgetExceededError naming the first budget it would pass; the database error
   */
  async reserve(key: string, usd: number, chatId?: number): Promise<void> {
    const counters = this.counters(chatId);
    if (counters.length === 0) return;
    const refused = await this.repository.reserve(key, usd, counters.map((c) => c.counter));
    if (refused) throw new LlmBudgetExceededError(counters.find((c) => c.counter === refused)!.refusal);
  }

  /** Replaces the reservation `key` by the real cost `usd`. @throws the database error */
  async settle(key: string, usd: number): Promise<void> {
    await this.repository.settle(key, usd);
  }

  private counters(chatId?: number): Array<{ counter: BudgetCounter; refusal: BudgetRefusal }> {
    const now = this.now();
    const day = `day:${dayOf(now, this.tz)}`;
    const month = `month:${dayOf(now, this.tz).slice(0, 7)}`;
    const all: Array<{ counter: BudgetCounter; refusal: BudgetRefusal }> = [
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
    return all.filter((c) => c.counter.limitUsd > 0);
  }
}
