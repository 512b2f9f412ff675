import type { PrismaService } from '@kraken/db';
import { monthBounds, type Month } from '@kraken/stats';
import type { MemeMediaKind } from './meme-record';

/** A month's approved meme with its channel post and the post's total reactions. */
export interface BestMeme {
  id: number;
  fileId: string;
  kind: MemeMediaKind;
  authorName: string;
  authorUsername: string | null;
  channelChatId: number;
  channelMessageId: number;
  postedAt: Date;
  /** Sum of the post's anonymous reaction counts (message_reaction_count), 0 when none were seen. */
  reactions: number;
}

/**
 * The best memes of chat `chatId` in `month` (cut in time zone `tz`): approved memes counted for the
 * chat whose channel post is dated in the month, ranked by total reactions of the post (the latest
 * `ReactionCount` the stats worker stored for it), ties by the earlier post. At most `limit`.
 * Raw SQL on purpose: the ranking is a LEFT JOIN on the post's (chat, message) pair ordered by the
 * joined count, which Prisma's typed client (no relation between the two tables) cannot sort by.
 * @throws the database error
 */
export async function bestMemesOfMonth(
  prisma: PrismaService,
  chatId: number,
  month: Month,
  tz: string,
  limit: number,
): Promise<BestMeme[]> {
  const [start, end] = await monthBounds(prisma, month, tz);
  const rows = await prisma.$queryRaw<
    Array<{ id: bigint; fileId: string; kind: MemeMediaKind; authorName: string; authorUsername: string | null; channelChatId: bigint; channelMessageId: number; postedAt: Date; reactions: number }>
  >`
    SELECT m."id", m."fileId", m."kind"::text AS kind, m."authorName", m."authorUsername", m."channelChatId", m."channelMessageId",
      m."postedAt", COALESCE(r."totalCount", 0)::int AS reactions
    FROM "Meme" m
    LEFT JOIN "ReactionCount" r ON r."chatId" = m."channelChatId" AND r."messageId" = m."channelMessageId"
    WHERE m."chatId" = ${BigInt(chatId)} AND m."status" = 'approved' AND m."channelMessageId" IS NOT NULL
      AND m."postedAt" >= ${start} AND m."postedAt" < ${end}
    ORDER BY reactions DESC, m."postedAt" ASC, m."id" ASC
    LIMIT ${limit}`;
  return rows.map((r) => ({ ...r, id: Number(r.id), channelChatId: Number(r.channelChatId) }));
}

/**
 * Link to a channel post: `https://t.me/<username>/<id>` for a public channel, else the
 * `https://t.me/c/<internal id>/<id>` form (the Bot API id without its `-100` prefix), which opens for
 * the channel's members.
 */
export function channelPostLink(channelChatId: number, messageId: number, username?: string | null): string {
  if (username) return `https://t.me/${username}/${messageId}`;
  const internal = String(channelChatId).replace(/^-100/, '').replace(/^-/, '');
  return `https://t.me/c/${internal}/${messageId}`;
}
