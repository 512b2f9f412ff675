import type { PrismaService } from '@kraken/db';
import type { DigestContent } from './digest-composer';

/** A Digest row as the publisher uses it. */
export interface DigestRecord {
  id: number;
  chatId: number;
  month: string;
  /** 0 for the month's digest, 1, 2 … for forced re-posts. */
  revision: number;
  /** The admin who forced this re-post (null for revision 0). */
  forcedById: number | null;
  status: 'pending' | 'running' | 'published' | 'failed' | 'skipped';
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
  revision: number;
  forcedById: bigint | null;
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
  forcedById: row.forcedById === null ? null : Number(row.forcedById),
  content: (row.content as DigestContent | null) ?? null,
  mediaMessageIds: row.mediaMessageIds ?? [],
  textMessageIds: row.textMessageIds ?? [],
});

/** Thrown when two forced re-posts of one month raced for the same revision number; the job retries. */
export class RevisionRaceError extends Error {
  override name = 'RevisionRaceError';
}

/**
 * Digest rows, one per (chat, month, revision): revision 0 is the month's digest, later revisions are
 * re-posts an admin forced (createForced). A run claims a row with one
 * `UPDATE … SET status = 'running' … WHERE status IN ('pending', 'failed') OR (status = 'running' AND
 * (claimedBy = <run> OR leaseUntil < now()))`: of two workers exactly one gets it, the same run
 * (a BullMQ job retried after its worker died) gets it back at once, and a claim whose run vanished
 * expires after the lease. Every later write requires the claim, so a run that lost it stops.
 * Raw SQL on purpose: each claim and guarded write is one conditional `UPDATE` judged by PostgreSQL's
 * own clock (`now()` against the lease) and state, atomically, which Prisma's typed client cannot
 * express (`updateMany` neither returns the row nor computes the lease in the database); the reads
 * return the same `Row` shape those statements do.
 */
export class DigestStore {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates the month's digest row (revision 0) of (chat, month) unless it exists. */
  async ensure(chatId: number, month: string, targetChatId: string): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO "Digest" ("chatId", "month", "targetChatId", "updatedAt") VALUES (${BigInt(chatId)}, ${month}, ${targetChatId}, now())
      ON CONFLICT ("chatId", "month", "revision") DO NOTHING`;
  }

  /**
   * The re-post of (chat, month) requested by command job `forceJobId`: created as the next revision
   * (recording `forcedById`) the first time, the same row when the command's job runs again.
   * @throws RevisionRaceError when a concurrent forced re-post took the revision number (retry)
   */
  async createForced(chatId: number, month: string, targetChatId: string, forcedById: number, forceJobId: string): Promise<DigestRecord> {
    await this.prisma.$executeRaw`
      INSERT INTO "Digest" ("chatId", "month", "revision", "targetChatId", "forcedById", "forceJobId", "updatedAt")
      SELECT ${BigInt(chatId)}, ${month}, COALESCE(max("revision"), 0) + 1, ${targetChatId}, ${BigInt(forcedById)}, ${forceJobId}, now()
      FROM "Digest" WHERE "chatId" = ${BigInt(chatId)} AND "month" = ${month}
      ON CONFLICT DO NOTHING`;
    const [row] = await this.prisma.$queryRaw<Row[]>`SELECT * FROM "Digest" WHERE "forceJobId" = ${forceJobId}`;
    if (!row) throw new RevisionRaceError(`digest ${chatId} ${month}: another forced re-post took the next revision`);
    return toRecord(row);
  }

  /** The row of (chat, month, revision), or null. */
  async find(chatId: number, month: string, revision = 0): Promise<DigestRecord | null> {
    const [row] = await this.prisma.$queryRaw<Row[]>`
      SELECT * FROM "Digest" WHERE "chatId" = ${BigInt(chatId)} AND "month" = ${month} AND "revision" = ${revision}`;
    return row ? toRecord(row) : null;
  }

  /**
   * Claims the row of (chat, month, revision) for run `claimant` for `leaseSeconds` (see the class comment).
   * @returns the claimed row, or null when it is published, skipped or held by another live run
   */
  async claim(chatId: number, month: string, claimant: string, leaseSeconds: number, revision = 0): Promise<DigestRecord | null> {
    const [row] = await this.prisma.$queryRaw<Row[]>`
      UPDATE "Digest" SET "status" = 'running', "claimedBy" = ${claimant}, "leaseUntil" = now() + make_interval(secs => ${leaseSeconds}::double precision),
        "attempts" = "attempts" + 1, "error" = NULL, "updatedAt" = now()
      WHERE "chatId" = ${BigInt(chatId)} AND "month" = ${month} AND "revision" = ${revision}
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

  /** Marks the digest skipped (composed, not posted: a month without messages). @throws ClaimLostError when the claim is gone. */
  async markSkipped(id: number, claimant: string): Promise<void> {
    await this.update(id, claimant, this.prisma.$executeRaw`
      UPDATE "Digest" SET "status" = 'skipped', "leaseUntil" = NULL, "updatedAt" = now()
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
