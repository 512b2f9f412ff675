import type { PrismaService } from '@kraken/db';

/** A chat Kraken has seen, for `kraken chats`. */
export interface KnownChat {
  /** Bot API chat id (`-100…` for supergroups and channels). */
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title: string | null;
  username: string | null;
  /** Messages stored for the chat (0 while privacy mode hides them, or before the first one). */
  messages: number;
  /** Date of the newest stored message, or null. */
  lastMessageAt: Date | null;
}

/**
 * Reads the chats Kraken has seen: every chat a message, member change, reaction or change of
 * Kraken's own membership (my_chat_member) came from, with how many of its messages are stored.
 */
export class KnownChatsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Groups, supergroups and channels (and, with `includePrivate`, private chats), groups first, then
   * by title. Raw SQL on purpose: Chat and Message have no Prisma relation (the stats tables are written
   * by FactWriter's bulk SQL), so the per-chat message count and newest date are one LEFT JOIN grouped
   * in PostgreSQL, ordered by a CASE over the chat type, neither of which Prisma's typed client expresses.
   * @throws the database error
   */
  async list(options: { includePrivate?: boolean } = {}): Promise<KnownChat[]> {
    const rows = await this.prisma.$queryRaw<Array<{ id: bigint; type: KnownChat['type']; title: string | null; username: string | null; messages: bigint; last: Date | null }>>`
      SELECT c."id", c."type", c."title", c."username", count(m."messageId") AS messages, max(m."date") AS last
      FROM "Chat" c LEFT JOIN "Message" m ON m."chatId" = c."id"
      WHERE ${options.includePrivate ?? false} OR c."type" <> 'private'
      GROUP BY c."id"
      ORDER BY CASE c."type" WHEN 'supergroup' THEN 0 WHEN 'group' THEN 0 WHEN 'channel' THEN 1 ELSE 2 END, c."title" NULLS LAST, c."id"`;
    return rows.map((r) => ({ id: Number(r.id), type: r.type, title: r.title, username: r.username, messages: Number(r.messages), lastMessageAt: r.last }));
  }
}
