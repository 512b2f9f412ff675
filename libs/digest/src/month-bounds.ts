import type { PrismaService } from '@kraken/db';
import { formatMonth, monthOf, nextMonth, type Month } from '@kraken/stats';

/**
 * [start, end) of `month` in time zone `tz`, computed by PostgreSQL's time zone rules (the same cut as
 * MonthlyStatsQuery).
 * @throws the database error (e.g. an unknown time zone)
 */
export async function monthBounds(prisma: PrismaService, month: Month, tz: string): Promise<[Date, Date]> {
  const after = nextMonth(month);
  const [row] = await prisma.$queryRaw<Array<{ start: Date; end: Date }>>`
    SELECT make_timestamptz(${month.year}::int, ${month.month}::int, 1, 0, 0, 0, ${tz}) AS start,
           make_timestamptz(${after.year}::int, ${after.month}::int, 1, 0, 0, 0, ${tz}) AS "end"`;
  return [row.start, row.end];
}

/**
 * True when `month` is over at `now` in time zone `tz` (KRAKEN_TIMEZONE): only finished months have a
 * digest, so a partial month is never published and never blocks the real one.
 */
export function isFinishedMonth(month: Month, now: Date, tz: string): boolean {
  return formatMonth(month) < formatMonth(monthOf(now, tz));
}
