import type { MemeAction, MemeSubmitJob, Person } from '@kraken/contracts';
import type { PrismaService } from '@kraken/db';
import { toMemeRecord, type MemeRecord } from './meme-record';

/** Outcome of MemeStore.submit. */
export type SubmitOutcome =
  /** A new submission, or the same submission again (a retried job: same source chat and message). */
  | { kind: 'accepted'; meme: MemeRecord; created: boolean }
  /** The file was submitted before, from another message. */
  | { kind: 'duplicate'; meme: MemeRecord };

/**
 * Meme rows in PostgreSQL. Idempotency comes from keys: `fileUniqueId` is unique (a file is accepted
 * once), a moderation card is unique per (chat, message), and a decision is one
 * `UPDATE … WHERE status = 'submitted'`, so of two moderators pressing at once exactly one wins.
 */
export class MemeStore {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Records a submission counted for community chat `chatId` (null: not counted in any chat's stats).
   * @throws the database error
   */
  async submit(job: MemeSubmitJob, chatId: number | null): Promise<SubmitOutcome> {
    const author = job.author ?? job.submitter;
    const inserted = await this.prisma.meme.createManyAndReturn({
      data: [
        {
          fileUniqueId: job.media.fileUniqueId,
          fileId: job.media.fileId,
          kind: job.media.kind,
          chatId: chatId === null ? null : BigInt(chatId),
          sourceChatId: BigInt(job.chat.id),
          sourceMessageId: job.mediaMessageId,
          submitterId: BigInt(job.submitter.id),
          submitterName: job.submitter.name,
          authorId: job.author ? BigInt(job.author.id) : null,
          authorName: author.name,
          authorUsername: author.username ?? null,
          caption: job.caption ?? null,
          submittedAt: new Date(job.date * 1000),
        },
      ],
      skipDuplicates: true,
    });
    if (inserted[0]) return { kind: 'accepted', meme: toMemeRecord(inserted[0]), created: true };
    const existing = toMemeRecord(await this.prisma.meme.findUniqueOrThrow({ where: { fileUniqueId: job.media.fileUniqueId } }));
    const same = existing.sourceChatId === job.chat.id && existing.sourceMessageId === job.mediaMessageId && existing.submitterId === job.submitter.id;
    return same ? { kind: 'accepted', meme: existing, created: false } : { kind: 'duplicate', meme: existing };
  }

  /** Records where a meme's moderation card is (chat and message id of the sent card). */
  async attachCard(memeId: number, chatId: number, messageId: number): Promise<void> {
    await this.prisma.meme.update({ where: { id: BigInt(memeId) }, data: { moderationChatId: BigInt(chatId), moderationMessageId: messageId } });
  }

  /** The meme with this id, or null. */
  async find(memeId: number): Promise<MemeRecord | null> {
    const row = await this.prisma.meme.findUnique({ where: { id: BigInt(memeId) } });
    return row ? toMemeRecord(row) : null;
  }

  /** The meme whose moderation card is message `messageId` of chat `chatId`, or null. */
  async findByCard(chatId: number, messageId: number): Promise<MemeRecord | null> {
    const row = await this.prisma.meme.findUnique({
      where: { moderationChatId_moderationMessageId: { moderationChatId: BigInt(chatId), moderationMessageId: messageId } },
    });
    return row ? toMemeRecord(row) : null;
  }

  /**
   * Decides a meme if nobody has: one `UPDATE … WHERE id = … AND status = 'submitted'`.
   * @returns the decided meme when this call decided it, null when it was already decided (or unknown)
   */
  async decide(memeId: number, action: MemeAction, moderator: Person, reason?: string): Promise<MemeRecord | null> {
    const { count } = await this.prisma.meme.updateMany({
      where: { id: BigInt(memeId), status: 'submitted' },
      data: {
        status: action === 'approve' ? 'approved' : 'rejected',
        decidedById: BigInt(moderator.id),
        decidedByName: moderator.name,
        decidedAt: new Date(),
        reason: reason?.trim() || null,
      },
    });
    return count === 1 ? this.find(memeId) : null;
  }

  /** Records the channel post of an approved meme (`date` is Telegram's, Unix seconds). */
  async markPosted(memeId: number, channelChatId: number, messageId: number, date: number): Promise<void> {
    await this.prisma.meme.update({
      where: { id: BigInt(memeId) },
      data: { channelChatId: BigInt(channelChatId), channelMessageId: messageId, postedAt: new Date(date * 1000) },
    });
  }
}
