import type { PrismaService } from '@kraken/db';

/**
 * Clears the text of messages older than `retentionDays` (by message date). Counts, lengths and kinds
 * stay. Returns how many rows were cleared.
 */
export async function purgeMessageTexts(prisma: PrismaService, retentionDays: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  return prisma.$executeRaw`UPDATE "Message" SET "text" = NULL WHERE "text" IS NOT NULL AND "date" < ${cutoff}`;
}
