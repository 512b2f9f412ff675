import { AssistantUserBudgetRepository } from '@kraken/assistant';
import type { SpenderBudget } from '@kraken/llm';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { LlmWorkerEnv } from '../llm-worker.env';

/** The limit used for one period that has none while the other has one (LlmBudget treats 0 as closed), in USD. */
const NO_LIMIT_USD = 1_000_000_000;

/**
 * Each user's own assistant budget, as an LlmService `spender` (counters `user:tg:<user id>` in
 * LlmBudgetCounter, reserved and settled with the chat and global budgets in one transaction): the
 * admin's row in `AssistantUserBudget` when it sets a period (0 there closes it), else
 * ASSISTANT_USER_DAILY_USD / ASSISTANT_USER_MONTHLY_USD (0 there: no limit for that period).
 */
@Injectable()
export class AssistantUserBudget {
  private readonly dailyUsd: number;
  private readonly monthlyUsd: number;

  constructor(
    private readonly overrides: AssistantUserBudgetRepository,
    config: ConfigService<LlmWorkerEnv, true>,
  ) {
    this.dailyUsd = config.get('ASSISTANT_USER_DAILY_USD', { infer: true });
    this.monthlyUsd = config.get('ASSISTANT_USER_MONTHLY_USD', { infer: true });
  }

  /** The spender budget of Telegram user `userId`, or undefined when neither period is limited. @throws the database error */
  async of(userId: number): Promise<SpenderBudget | undefined> {
    const override = await this.overrides.find(userId);
    const daily = override?.dailyUsd ?? (this.dailyUsd > 0 ? this.dailyUsd : null);
    const monthly = override?.monthlyUsd ?? (this.monthlyUsd > 0 ? this.monthlyUsd : null);
    if (daily === null && monthly === null) return undefined;
    return { scope: `user:tg:${userId}`, dailyUsd: daily ?? NO_LIMIT_USD, monthlyUsd: monthly ?? NO_LIMIT_USD };
  }
}
