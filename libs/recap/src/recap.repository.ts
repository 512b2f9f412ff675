import type { PrismaClient } from '@kraken/db';

/** One stored message of a recap window. */
export interface RecapMessage {
  messageId: number;
  /** Message time, ms since the epoch. */
  at: number;
  sender: string;
  senderId: number | null;
  isBot: boolean;
  kind: string;
  /** Text or caption; null when none was stored or it was purged (TEXT_RETENTION_DAYS). */
  text: string | null;
  replyTo: number | null;
  topicId: number | null;
  /** Where a forwarded message came from (forward origin type and title). */
  forward: { type: string; title: string } | null;
}

/** Which stored messages a recap covers. */
export interface RecapWindowQuery {
  chatId: number;
  /** Oldest and newest message time included. */
  from: Date;
  to: Date;
  /** Only this forum topic (its messages and its root). */
  topicId?: number;
  /** Only messages from this id on. */
  fromMessageId?: number;
  /** The request itself, left out. */
  excludeMessageId?: number;
  /** The newest `limit` messages of the window. */
  limit: number;
}

/** Reads of recaps over the stats tables (Message, Sender) that the stats worker and `kraken import` fill. */
export class RecapRepository {
  constructor(private readonly db: Pick<PrismaClient, '$queryRaw' | 'message'>) {}

  /** Time of the sender's newest message in the chat before `beforeMessageId`, or null. @throws the database error */
  async lastMessageAt(chatId: number, senderId: number, beforeMessageId: number): Promise<Date | null> {
    const { _max } = await this.db.message.aggregate({
      where: { chatId: BigInt(chatId), senderId: BigInt(senderId), messageId: { lt: beforeMessageId } },
      _max: { date: true },
    });
    return _max.date;
  }

  /** Time of one message, or null when it is not stored. @throws the database error */
  async messageAt(chatId: number, messageId: number): Promise<Date | null> {
    const row = await this.db.message.findUnique({ where: { chatId_messageId: { chatId: BigInt(chatId), messageId } }, select: { date: true } });
    return row?.date ?? null;
  }

  /**
   * The window's messages, oldest first (the newest `limit` of them). Raw SQL on purpose: Message and
   * Sender have no Prisma relation (the stats tables are written by FactWriter's bulk SQL), so the
   * sender's name comes from one LEFT JOIN in PostgreSQL instead of a second query.
   * @throws the database error
   */
  async window(query: RecapWindowQuery): Promise<RecapMessage[]> {
    const rows = await this.db.$queryRaw<Array<{
      messageId: number; date: Date; text: string | null; kind: string; replyToMessageId: number | null; threadId: number | null;
      forwardOriginType: string | null; forwardOriginTitle: string | null; senderId: bigint | null; name: string | null; isBot: boolean | null;
    }>>`
      SELECT m."messageId", m."date", m."text", m."kind"::text AS kind, m."replyToMessageId", m."threadId", m."forwardOriginType", m."forwardOriginTitle",
        m."senderId", s."name", s."isBot"
      FROM "Message" m LEFT JOIN "Sender" s ON s."id" = m."senderId"
      WHERE m."chatId" = ${BigInt(query.chatId)} AND m."date" >= ${query.from} AND m."date" <= ${query.to}
        AND (${query.topicId ?? null}::int IS NULL OR m."threadId" = ${query.topicId ?? null}::int OR m."messageId" = ${query.topicId ?? null}::int)
        AND (${query.fromMessageId ?? null}::int IS NULL OR m."messageId" >= ${query.fromMessageId ?? null}::int)
        AND m."messageId" <> ${query.excludeMessageId ?? 0}
      ORDER BY m."date" DESC, m."messageId" DESC
      LIMIT ${query.limit}`;
    return rows.reverse().map((r) => ({
      messageId: r.messageId,
      at: r.date.getTime(),
      sender: (r.name ?? 'Unknown').replace(/\s+/g, ' ').trim() || 'Unknown',
      senderId: r.senderId === null ? null : Number(r.senderId),
      isBot: Boolean(r.isBot),
      kind: r.kind,
      text: r.text,
      replyTo: r.replyToMessageId,
      topicId: r.threadId,
      forward: r.forwardOriginType && r.forwardOriginTitle ? { type: r.forwardOriginType, title: r.forwardOriginTitle } : null,
    }));
  }
}
