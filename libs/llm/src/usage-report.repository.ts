import type { PrismaClient } from '@kraken/db';
import { monthBounds, monthOf } from '@kraken/stats';

/** Totals of one model in a period. */
export interface ModelUsage {
  model: string;
  requests: number;
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
  /** USD. */
  costUsd: number;
}

/** Totals of one user in a period. */
export interface UserUsage {
  userId: number;
  requests: number;
  /** USD. */
  costUsd: number;
}

/** /usage: a chat's LLM usage per model and its top users in [from, to). */
export interface ChatUsageReport {
  models: ModelUsage[];
  topUsers: UserUsage[];
}

/** Options of UsageReportRepository.chatReport. */
export interface UsageReportOptions {
  /** IANA time zone the month is cut in (KRAKEN_TIMEZONE). */
  tz: string;
  /** Any instant of the month to report; default now. */
  now?: Date;
  /** How many top users to list; default 5. */
  topN?: number;
}

/** Reads LLM usage reports (`/usage`) from the LlmUsage rows UsageRecorder writes. */
export class UsageReportRepository {
  constructor(private readonly prisma: Pick<PrismaClient, '$queryRaw'>) {}

  /**
   * Sums LlmUsage rows of `chatId` created in the calendar month (in `tz`, cut by monthBounds)
   * containing `now`: per model (most expensive first) and the `topN` users with most requests.
   * Raw SQL on purpose: one grouped aggregate per list, with the cache hits counted by `FILTER` and the
   * Decimal cost summed and read as exact text, which Prisma's groupBy cannot do in one statement.
   * @throws the database error
   */
  async chatReport(chatId: number, { tz, now = new Date(), topN = 5 }: UsageReportOptions): Promise<ChatUsageReport> {
    const [from, to] = await monthBounds(this.prisma, monthOf(now, tz), tz);
    const models = await this.prisma.$queryRaw<Array<{ model: string; requests: bigint; hits: bigint; prompt: bigint; completion: bigint; cost: string }>>`
      SELECT "model", count(*) AS requests, count(*) FILTER (WHERE "cached") AS hits,
        coalesce(sum("promptTokens"), 0)::bigint AS prompt, coalesce(sum("completionTokens"), 0)::bigint AS completion,
        coalesce(sum("costUsd"), 0)::text AS cost
      FROM "LlmUsage" WHERE "chatId" = ${chatId}::bigint AND "createdAt" >= ${from} AND "createdAt" < ${to}
      GROUP BY "model" ORDER BY sum("costUsd") DESC, "model"`;
    const users = await this.prisma.$queryRaw<Array<{ userId: bigint; requests: bigint; cost: string }>>`
      SELECT "userId", count(*) AS requests, coalesce(sum("costUsd"), 0)::text AS cost
      FROM "LlmUsage" WHERE "chatId" = ${chatId}::bigint AND "userId" IS NOT NULL AND "createdAt" >= ${from} AND "createdAt" < ${to}
      GROUP BY "userId" ORDER BY count(*) DESC, "userId" LIMIT ${topN}`;
    return {
      models: models.map((m) => ({
        model: m.model,
        requests: Number(m.requests),
        cacheHits: Number(m.hits),
        promptTokens: Number(m.prompt),
        completionTokens: Number(m.completion),
        costUsd: Number(m.cost),
      })),
      topUsers: users.map((u) => ({ userId: Number(u.userId), requests: Number(u.requests), costUsd: Number(u.cost) })),
    };
  }
}
