import type { PrismaClient } from '@kraken/db';

/** A calendar month of a chat with its message count. */
export interface MonthMessages {
  /** `YYYY-MM` in the time zone asked for. */
  month: string;
  messages: number;
}

/** Which months of a chat have data, for `kraken months` and for choosing a month to look at. */
export class MonthsRepository {
  constructor(private readonly prisma: Pick<PrismaClient, '$queryRaw'>) {}

  /**
   * The months (cut in time zone `tz`) in which chat `chatId` has stored messages, busiest first,
   * ties oldest first. Raw SQL: the months are PostgreSQL's `AT TIME ZONE`
   * grouping of "Message"."date" (the cut monthBounds makes), which Prisma's groupBy cannot express.
   * @throws the database error (e.g. an unknown time zone)
   */
  async messageCounts(chatId: number, tz: string): Promise<MonthMessages[]> {
    const rows = await this.prisma.$queryRaw<Array<{ month: string; messages: bigint }>>`
      SELECT to_char("date" AT TIME ZONE ${tz}, 'YYYY-MM') AS month, count(*) AS messages
      FROM "Message" WHERE "chatId" = ${BigInt(chatId)} GROUP BY 1 ORDER BY messages DESC, month ASC`;
    return rows.map((r) => ({ month: r.month, messages: Number(r.messages) }));
  }
}
