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
 * Writes usage rows to PostgreSQL (`LlmUsage`) with Prisma's typed client. A row whose `requestKey`
 * is already stored is ignored (`skipDuplicates`: INSERT … ON CONFLICT DO NOTHING), so a retried job
 * counts once.
 */
export class PrismaUsageRecorder implements UsageSink {
  constructor(private readonly prisma: Pick<PrismaClient, 'llmUsage'>) {}

  /** Inserts one row. @throws the database error. */
  async record(row: UsageRecord): Promise<void> {
    await this.prisma.llmUsage.createMany({
      data: [
        {
          requestKey: row.requestKey ?? null,
          chatId: row.chatId == null ? null : BigInt(row.chatId),
          userId: row.userId == null ? null : BigInt(row.userId),
          provider: row.provider,
          model: row.model,
          purpose: row.purpose,
          promptTokens: row.promptTokens,
          completionTokens: row.completionTokens,
          costUsd: row.costUsd,
          cached: row.cached,
          latencyMs: Math.round(row.latencyMs),
        },
      ],
      skipDuplicates: true,
    });
  }
}
