import type { PrismaClient } from '@kraken/db';

/** An admin's override of one user's budget, in USD; null: the default applies; 0: closed. */
export interface UserBudgetOverride {
  dailyUsd: number | null;
  monthlyUsd: number | null;
}

/** Reads the admins' per-user budget overrides of the private assistant (table `AssistantUserBudget`). */
export class AssistantUserBudgetRepository {
  constructor(private readonly prisma: Pick<PrismaClient, 'assistantUserBudget'>) {}

  /** The override of Telegram user `userId`, or null when there is none. @throws the database error */
  async find(userId: number): Promise<UserBudgetOverride | null> {
    const row = await this.prisma.assistantUserBudget.findUnique({ where: { userId: BigInt(userId) } });
    if (!row) return null;
    return { dailyUsd: row.dailyUsd === null ? null : Number(row.dailyUsd), monthlyUsd: row.monthlyUsd === null ? null : Number(row.monthlyUsd) };
  }
}
