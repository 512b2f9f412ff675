import type { PrismaService } from '@kraken/db';

/**
 * Stores a getChatMemberCount result for (chat, day); a repeated snapshot of the same day overwrites.
 * Raw SQL on purpose: one `INSERT … ON CONFLICT DO UPDATE` with the `YYYY-MM-DD` day cast to `date`
 * by PostgreSQL and `takenAt` from its clock; Prisma's upsert would need the day turned into a UTC
 * midnight Date first and may run as a read plus a write.
 * @throws the database error
 */
export async function recordMemberCount(prisma: PrismaService, chatId: number, day: string, count: number): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO "MemberCountSnapshot" ("chatId", "day", "count", "takenAt")
    VALUES (${BigInt(chatId)}, ${day}::date, ${count}, now())
    ON CONFLICT ("chatId", "day") DO UPDATE SET "count" = EXCLUDED."count", "takenAt" = EXCLUDED."takenAt"`;
}

/** Group, supergroup and channel chats Kraken has seen (those whose member count is tracked). */
export async function trackedChatIds(prisma: PrismaService): Promise<number[]> {
  const chats = await prisma.chat.findMany({ where: { type: { in: ['group', 'supergroup', 'channel'] } }, select: { id: true } });
  return chats.map((c) => Number(c.id));
}
