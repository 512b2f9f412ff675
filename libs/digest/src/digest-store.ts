import type { PrismaService } from '@kraken/db';
import type { DigestContent } from './digest-composer';

/** A Digest row as the publisher uses it. */
export interface DigestRecord {
  id: number;
  chatId: number;
  month: string;
  status: 'pending' | 'running' | 'published' | 'failed';
  claimedBy: string | null;
  attempts: number;
  targetChatId: string | null;
  content: DigestContent | null;
  mediaMessageIds: number[];
  mediaSentAt: Date | null;
  textMessageIds: number[];
  publishedAt: Date | null;
}

/** Thrown when a run finds its claim taken over by another run (its lease expired). */
export class ClaimLostError extends Error {
  override name = 'ClaimLostError';
}

interface Row {
  id: bigint;
  chatId: bigint;
  month: string;
  status: DigestRecord['status'];
  claimedBy: string | null;
  attempts: number;
  targetChatId: string | null;
  content: unknown;
  mediaMessageIds: number[] | null;
  mediaSentAt: Date | null;
  textMessageIds: number[] | null;
  publishedAt: Date | null;
}

const toRecord = (row: Row): DigestRecord => ({
  ...row,
  id: Number(row.id),
  chatId: Number(row.chatId),
  content: (row.content as DigestContent | null) ?? null,
  mediaMessageIds: row.mediaMessageIds ?? [],
  textMessageIds: row.textMessageIds ?? [],
});

/**
 * Digest rows, one per (chat, month). A run claims the row with one
 * `UPDATE … SET status = 'running' … WHERE status IN ('pending', 'failed') OR (status = 'running' AND
 * (claimedBy = <run> OR leaseUntil < now()))`: of two workers exactly one gets it, the same run
 * (a BullMQ job retried after its worker died) gets it back at once, and a claim whose run vanished
 * expires after the lease. Every later write requires the claim, so a run that lost it stops.
 */
export class DigestStore {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates the row of (chat, month) unless it exists. */
  async ensure(chatId: number, month: string, targetChatId: string): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO "Digest" ("chatId", "month", "targetChatId", "updatedAt") VALUES (${BigInt(chatId)}, ${month}, ${targetChatId}, now())
      ON CONFLICT ("chatId", "month") DO NOTHING`;
  }

  /** The row of (chat, month), or null. */
  async find(chatId: number, month: string): Promise<DigestRecord | null> {
    const [row] = await this.prisma.$queryRaw<Row[]>`SELECT * FROM "Digest" WHERE "chatId" = ${BigInt(chatId)} AND "month" = ${month}`;
    return row ? toRecord(row) : null;
  }

  /**
   * Claims the row for run `claimant` for `leaseSeconds` (see the class comment).
   * @returns the claimed row, or null when it is published or held by another live run
   */
  async claim(chatId: number, month: string, claimant: string, leaseSeconds: number): Promise<DigestRecord | null> {
    const [row] = await this.prisma.$queryRaw<Row[]>`
      UPDATE "Digest" SET "status" = 'running', "claimedBy" = ${claimant}, "leaseUntil" = now() + make_interval(secs => ${leaseSeconds}::double precision),
        "attempts" = "attempts" + 1, "error" = NULL, "updatedAt" = now()
      WHERE "chatId" = ${BigInt(chatId)} AND "month" = ${month}
        AND ("status" IN ('pending', 'failed') OR ("status" = 'running' AND ("claimedBy" = ${claimant} OR "leaseUntil" < now())))
      RETURNING *`;
    return row ? toRecord(row) : null;
  }

  /** Extends the claim's lease. @throws ClaimLostError when the claim is gone. */
  async renew(id: number, claimant: string, leaseSeconds: number): Promise<void> {
    await this.update(id, claimant, this.prisma.$executeRaw`
      UPDATE "Digest" SET "leaseUntil" = now() + make_interval(secs => ${leaseSeconds}::double precision), "updatedAt" = now()
      WHERE "id" = ${BigInt(id)} AND "claimedBy" = ${claimant} AND "status" = 'running'`);
  }

  /** Stores the composed digest, once. @throws ClaimLostError when the claim is gone. */
  async saveContent(id: number, claimant: string, content: DigestContent): Promise<void> {
    await this.update(id, claimant, this.prisma.$executeRaw`
      UPDATE "Digest" SET "content" = ${JSON.stringify(content)}::jsonb, "headlinesSource" = ${content.headlinesSource},
        "builtAt" = now(), "updatedAt" = now()
      WHERE "id" = ${BigInt(id)} AND "claimedBy" = ${claimant} AND "status" = 'running' AND "content" IS NULL`);
  }

  /** Records the media group's (or single photo's) message ids. @throws ClaimLostError when the claim is gone. */
  async markMedia(id: number, claimant: string, messageIds: number[]): Promise<void> {
    await this.update(id, claimant, this.prisma.$executeRaw`
      UPDATE "Digest" SET "mediaMessageIds" = ${messageIds}::int[], "mediaSentAt" = now(), "updatedAt" = now()
      WHERE "id" = ${BigInt(id)} AND "claimedBy" = ${claimant} AND "status" = 'running'`);
  }

  /** Records the text messages and marks the digest published. @throws ClaimLostError when the claim is gone. */
  async markPublished(id: number, claimant: string, messageIds: number[]): Promise<void> {
    await this.update(id, claimant, this.prisma.$executeRaw`
      UPDATE "Digest" SET "textMessageIds" = ${messageIds}::int[], "status" = 'published', "publishedAt" = now(),
        "leaseUntil" = NULL, "updatedAt" = now()
      WHERE "id" = ${BigInt(id)} AND "claimedBy" = ${claimant} AND "status" = 'running'`);
  }

  /** Gives the claim up as failed (a later run may claim it again); no-op when the claim is gone. */
  async markFailed(id: number, claimant: string, error: string): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE "Digest" SET "status" = 'failed', "error" = ${error.slice(0, 2000)}, "leaseUntil" = NULL, "updatedAt" = now()
      WHERE "id" = ${BigInt(id)} AND "claimedBy" = ${claimant} AND "status" = 'running'`;
  }

  private async update(id: number, claimant: string, statement: Promise<number>): Promise<void> {
    if ((await statement) === 0) {
      const [row] = await this.prisma.$queryRaw<Row[]>`SELECT * FROM "Digest" WHERE "id" = ${BigInt(id)}`;
      // saveContent on a row that already has content is fine as long as the claim holds.
      if (row && row.claimedBy === claimant && row.status === 'running') return;
      throw new ClaimLostError(`digest ${id}: claim of ${claimant} lost (now ${row?.status ?? 'missing'}, held by ${row?.claimedBy ?? 'nobody'})`);
    }
  }
}
