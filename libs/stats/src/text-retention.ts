import type { PrismaService } from '@kraken/db';

/**
 * Clears the text of messages older than `retentionDays` (by message date), one `UPDATE` through
 * Prisma's typed client. Counts, lengths and kinds stay. Returns how many rows were cleared.
 * @throws the database error
 */
export async function purgeMessageTexts(prisma: PrismaService, retentionDays: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const { count } = await prisma.message.updateMany({ where: { text: { not: null }, date: { lt: cutoff } }, data: { text: null } });
  return count;
}
