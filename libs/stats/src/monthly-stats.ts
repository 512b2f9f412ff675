import { MESSAGE_KINDS, type MessageKind } from '@kraken/contracts';
import type { PrismaService } from '@kraken/db';
import { formatMonth, previousMonth, type Month } from './month';
import { monthBounds } from './month-bounds';

/** The `kraken stats --json` object (README, "Monthly statistics"). */
export interface MonthlyStats {
  chatId: number;
  month: string;
  tz: string;
  messages: number;
  byKind: Record<MessageKind, number>;
  activeParticipants: number;
  activeParticipantsPrev: number;
  joins: number;
  leaves: number;
  forwards: number;
  stories: number;
  replies: number;
  edits: number;
  topPosters: Array<{ userId: number; name: string; messages: number }>;
  busiestDay: { date: string; messages: number } | null;
  members: { start: number | null; end: number | null };
  /** Memes counted for the chat whose submitting message is dated in the month, by where they stand now. */
  memes: { submitted: number; approved: number; rejected: number; pending: number };
}

/**
 * Seconds either side within which a chat_member join/leave and a service-message join/leave of the
 * same user are the same event (Telegram sends both when the bot is an admin with chat_member on).
 */
export const MEMBER_EVENT_MATCH_SECONDS = 60;

/**
 * Computes a chat's statistics for one calendar month cut in time zone `tz`. Definitions (README):
 * messages are non-service messages; active participants are their distinct senders (a user, or a
 * chat posting as itself); joins/leaves come from service messages plus chat_member transitions that
 * have no service message for the same user within MEMBER_EVENT_MATCH_SECONDS.
 * Raw SQL on purpose: the filtered and distinct counts, the busiest day grouped `AT TIME ZONE`, the
 * top posters joined to their names and the join/leave de-duplication (`NOT EXISTS` within a time
 * window) are each one indexed aggregate in PostgreSQL; Prisma's typed client would fetch rows or
 * need several round trips per figure.
 */
export class MonthlyStatsQuery {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The statistics of chat `chatId` (Bot API id) for `month` cut in `tz` (IANA name).
   * @throws the database error (e.g. an unknown time zone)
   */
  async compute(chatId: number, month: Month, tz: string): Promise<MonthlyStats> {
    const chat = BigInt(chatId);
    const [start, end] = await monthBounds(this.prisma, month, tz);
    const [prevStart] = await monthBounds(this.prisma, previousMonth(month), tz);

    const [totals] = await this.prisma.$queryRaw<Array<Record<string, bigint>>>`
      SELECT count(*) AS messages,
        count(DISTINCT "senderId") AS active,
        count(*) FILTER (WHERE "forwardOriginType" IS NOT NULL) AS forwards,
        count(*) FILTER (WHERE "kind" = 'story') AS stories,
        count(*) FILTER (WHERE "replyToMessageId" IS NOT NULL) AS replies
      FROM "Message" WHERE "chatId" = ${chat} AND "date" >= ${start} AND "date" < ${end}`;
    const [prev] = await this.prisma.$queryRaw<Array<{ active: bigint }>>`
      SELECT count(DISTINCT "senderId") AS active FROM "Message"
      WHERE "chatId" = ${chat} AND "date" >= ${prevStart} AND "date" < ${start}`;
    const kinds = await this.prisma.$queryRaw<Array<{ kind: MessageKind; n: bigint }>>`
      SELECT "kind"::text AS kind, count(*) AS n FROM "Message"
      WHERE "chatId" = ${chat} AND "date" >= ${start} AND "date" < ${end} GROUP BY "kind"`;
    const top = await this.prisma.$queryRaw<Array<{ id: bigint; name: string | null; n: bigint }>>`
      SELECT m."senderId" AS id, s."name" AS name, count(*) AS n FROM "Message" m
      LEFT JOIN "Sender" s ON s."id" = m."senderId"
      WHERE m."chatId" = ${chat} AND m."date" >= ${start} AND m."date" < ${end} AND m."senderId" IS NOT NULL
      GROUP BY m."senderId", s."name" ORDER BY n DESC, m."senderId" ASC LIMIT 10`;
    const busiest = await this.prisma.$queryRaw<Array<{ day: string; n: bigint }>>`
      SELECT to_char(("date" AT TIME ZONE ${tz})::date, 'YYYY-MM-DD') AS day, count(*) AS n FROM "Message"
      WHERE "chatId" = ${chat} AND "date" >= ${start} AND "date" < ${end}
      GROUP BY 1 ORDER BY n DESC, day ASC LIMIT 1`;
    const [members] = await this.prisma.$queryRaw<Array<{ joins: bigint; leaves: bigint }>>`
      SELECT count(*) FILTER (WHERE e."type" = 'join') AS joins, count(*) FILTER (WHERE e."type" = 'leave') AS leaves
      FROM "MemberEvent" e
      WHERE e."chatId" = ${chat} AND e."date" >= ${start} AND e."date" < ${end}
        AND (e."source" = 'service_message' OR NOT EXISTS (
          SELECT 1 FROM "MemberEvent" s WHERE s."chatId" = e."chatId" AND s."userId" = e."userId"
            AND s."type" = e."type" AND s."source" = 'service_message'
            AND abs(extract(epoch FROM s."date" - e."date")) <= ${MEMBER_EVENT_MATCH_SECONDS}))`;
    const [edits] = await this.prisma.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM "MessageEdit" WHERE "chatId" = ${chat} AND "editDate" >= ${start} AND "editDate" < ${end}`;
    const snapshots = await this.prisma.$queryRaw<Array<{ first: number | null; last: number | null }>>`
      SELECT (array_agg("count" ORDER BY "day" ASC))[1] AS first, (array_agg("count" ORDER BY "day" DESC))[1] AS last
      FROM "MemberCountSnapshot" WHERE "chatId" = ${chat}
        AND "day" >= (${start}::timestamptz AT TIME ZONE ${tz})::date AND "day" < (${end}::timestamptz AT TIME ZONE ${tz})::date`;
    const [memes] = await this.prisma.$queryRaw<Array<Record<'submitted' | 'approved' | 'rejected' | 'pending', bigint>>>`
      SELECT count(*) AS submitted, count(*) FILTER (WHERE "status" = 'approved') AS approved,
        count(*) FILTER (WHERE "status" = 'rejected') AS rejected, count(*) FILTER (WHERE "status" = 'submitted') AS pending
      FROM "Meme" WHERE "chatId" = ${chat} AND "submittedAt" >= ${start} AND "submittedAt" < ${end}`;

    const byKind = Object.fromEntries(MESSAGE_KINDS.map((k) => [k, 0])) as Record<MessageKind, number>;
    for (const row of kinds) byKind[row.kind] = Number(row.n);
    return {
      chatId,
      month: formatMonth(month),
      tz,
      messages: Number(totals.messages),
      byKind,
      activeParticipants: Number(totals.active),
      activeParticipantsPrev: Number(prev.active),
      joins: Number(members.joins),
      leaves: Number(members.leaves),
      forwards: Number(totals.forwards),
      stories: Number(totals.stories),
      replies: Number(totals.replies),
      edits: Number(edits.n),
      topPosters: top.map((r) => ({ userId: Number(r.id), name: r.name ?? String(r.id), messages: Number(r.n) })),
      busiestDay: busiest[0] ? { date: busiest[0].day, messages: Number(busiest[0].n) } : null,
      members: { start: snapshots[0]?.first ?? null, end: snapshots[0]?.last ?? null },
      memes: { submitted: Number(memes.submitted), approved: Number(memes.approved), rejected: Number(memes.rejected), pending: Number(memes.pending) },
    };
  }
}
