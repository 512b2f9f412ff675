import type { PrismaClient } from '@kraken/db';

/** One row of the LlmUsage table (see prisma/schema.prisma). */
export interface UsageRecord {
  requestKey?: string;
  chatId?: number;
  userId?: number;
  provider: string;
  model: string;
  purpose: string;
  promptTokens: number;
  completionTokens: number;
  /** USD. */
  costUsd: number;
  cached: boolean;
  latencyMs: number;
}

/** Where LlmService writes usage rows. */
export interface UsageSink {
  record(row: UsageRecord): Promise<void>;
}

/**
 * Writes usage rows to PostgreSQL (`LlmUsage`). A row whose `requestKey` is already stored is
 * ignored (ON CONFLICT DO NOTHING), so a retried job counts once.
 */
export class PrismaUsageRecorder implements UsageSink {
  constructor(private readonly prisma: Pick<PrismaClient, '$executeRaw'>) {}

  /** Inserts one row. @throws the database error. */
  async record(row: UsageRecord): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO "LlmUsage" ("requestKey", "chatId", "userId", "provider", "model", "purpose",
        "promptTokens", "completionTokens", "costUsd", "cached", "latencyMs")
      VALUES (${row.requestKey ?? null}, ${row.chatId ?? null}::bigint, ${row.userId ?? null}::bigint,
        ${row.provider}, ${row.model}, ${row.purpose}, ${row.promptTokens}, ${row.completionTokens},
        ${row.costUsd}::numeric, ${row.cached}, ${Math.round(row.latencyMs)})
      ON CONFLICT ("requestKey") DO NOTHING`;
  }
}
