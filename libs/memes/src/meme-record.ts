import type { Meme } from '@kraken/db';

/** Media kinds of memes (photo, video, GIF/animation). */
export type MemeMediaKind = 'photo' | 'video' | 'animation';
/** Where a meme stands: waiting for moderators, approved or rejected. */
export type MemeStatus = 'submitted' | 'approved' | 'rejected';

/** A Meme row with Telegram ids as numbers (they fit in 52 bits) and dates as Date. */
export interface MemeRecord {
  id: number;
  fileUniqueId: string;
  fileId: string;
  kind: MemeMediaKind;
  chatId: number | null;
  sourceChatId: number;
  sourceMessageId: number;
  submitterId: number;
  submitterName: string;
  authorId: number | null;
  authorName: string;
  authorUsername: string | null;
  /** The media message's caption (meme hashtag removed), or null. */
  caption: string | null;
  status: MemeStatus;
  submittedAt: Date;
  moderationChatId: number | null;
  moderationMessageId: number | null;
  decidedById: number | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  reason: string | null;
  channelChatId: number | null;
  channelMessageId: number | null;
  postedAt: Date | null;
}

const num = (value: bigint | null): number | null => (value === null ? null : Number(value));

/** Converts a Prisma Meme row. */
export function toMemeRecord(row: Meme): MemeRecord {
  return {
    id: Number(row.id),
    fileUniqueId: row.fileUniqueId,
    fileId: row.fileId,
    kind: row.kind,
    chatId: num(row.chatId),
    sourceChatId: Number(row.sourceChatId),
    sourceMessageId: row.sourceMessageId,
    submitterId: Number(row.submitterId),
    submitterName: row.submitterName,
    authorId: num(row.authorId),
    authorName: row.authorName,
    authorUsername: row.authorUsername,
    caption: row.caption,
    status: row.status,
    submittedAt: row.submittedAt,
    moderationChatId: num(row.moderationChatId),
    moderationMessageId: row.moderationMessageId,
    decidedById: num(row.decidedById),
    decidedByName: row.decidedByName,
    decidedAt: row.decidedAt,
    reason: row.reason,
    channelChatId: num(row.channelChatId),
    channelMessageId: row.channelMessageId,
    postedAt: row.postedAt,
  };
}
