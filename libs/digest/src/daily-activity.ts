import type { PrismaService } from '@kraken/db';
import { monthBounds, type Month } from '@kraken/stats';

/** One day of a month: messages and distinct senders (active participants) that day. */
export interface DayActivity {
  /** `YYYY-MM-DD` in the time zone. */
  day: string;
  messages: number;
  active: number;
}

/**
 * Messages and active participants per day of `month` in time zone `tz`, every day of the month
 * present (0 on silent days), oldest first. Same definitions as MonthlyStatsQuery.
 * Raw SQL on purpose: days are PostgreSQL's `AT TIME ZONE` grouping with distinct senders per day,
 * which Prisma's groupBy cannot express.
 * @throws the database error
 */
export async function dailyActivity(prisma: PrismaService, chatId: number, month: Month, tz: string): Promise<DayActivity[]> {
  const [start, end] = await monthBounds(prisma, month, tz);
  const rows = await prisma.$queryRaw<Array<{ day: string; messages: bigint; active: bigint }>>`
    SELECT to_char(("date" AT TIME ZONE ${tz})::date, 'YYYY-MM-DD') AS day, count(*) AS messages, count(DISTINCT "senderId") AS active
    FROM "Message" WHERE "chatId" = ${BigInt(chatId)} AND "date" >= ${start} AND "date" < ${end}
    GROUP BY 1`;
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const days = new Date(Date.UTC(month.year, month.month, 0)).getUTCDate();
  return Array.from({ length: days }, (_, i) => {
    const day = `${month.year}-${String(month.month).padStart(2, '0')}-${String(i + 1).padStart(2, '0')}`;
    const row = byDay.get(day);
    return { day, messages: Number(row?.messages ?? 0), active: Number(row?.active ?? 0) };
  });
}
