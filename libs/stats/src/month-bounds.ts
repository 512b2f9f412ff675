import type { PrismaClient } from '@kraken/db';
import { nextMonth, type Month } from './month';

/**
 * [start, end) of `month` in time zone `tz` (IANA name, KRAKEN_TIMEZONE), as instants: the one month
 * cut every month query (statistics, digests, memes, usage reports) uses. Raw SQL on purpose: the cut
 * is made by PostgreSQL's own time zone rules (`make_timestamptz`), the same rules its `AT TIME ZONE`
 * day and month grouping applies, so a month's rows and its bounds always agree.
 * @throws the database error (e.g. an unknown time zone)
 */
export async function monthBounds(db: Pick<PrismaClient, '$queryRaw'>, month: Month, tz: string): Promise<[Date, Date]> {
  const after = nextMonth(month);
  const [row] = await db.$queryRaw<Array<{ start: Date; end: Date }>>`
    SELECT make_timestamptz(${month.year}::int, ${month.month}::int, 1, 0, 0, 0, ${tz}) AS start,
           make_timestamptz(${after.year}::int, ${after.month}::int, 1, 0, 0, 0, ${tz}) AS "end"`;
  return [row.start, row.end];
}
