import type { ApiRole, PrismaService } from '@kraken/db';

/** Why a session was revoked (stored in ApiSession.revokedReason). */
export type RevokeReason = 'logout' | 'reuse' | 'password-change' | 'blocked';

/** What an access token's session resolves to: the account behind it, as stored now. */
export interface SessionPrincipal {
  userId: string;
  sessionId: string;
  email: string;
  name: string;
  role: ApiRole;
  blocked: boolean;
  telegramUserId: number | null;
}

/** Result of presenting a refresh token for rotation. */
export type RotateOutcome =
  | { kind: 'rotated'; sessionId: string; userId: string; blocked: boolean }
  | { kind: 'unknown' | 'expired' | 'revoked' }
  | { kind: 'reused'; sessionId: string };

/**
 * Sessions (refresh-token families) and their refresh tokens in PostgreSQL (`ApiSession`,
 * `ApiRefreshToken`), through Prisma's typed client. Tokens are stored only as hashes.
 */
export class SessionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Opens a session for `userId` with its first refresh token (hash). @returns the session id. */
  async open(userId: string, tokenHash: string, expiresAt: Date): Promise<string> {
    const session = await this.prisma.apiSession.create({
      data: { userId, refreshTokens: { create: { tokenHash, expiresAt } } },
      select: { id: true },
    });
    return session.id;
  }

  /**
   * Uses the refresh token with `tokenHash` once: marks it used and, when it was unused, unexpired and
   * its session open, stores `next` (hash, expiry) in the same session, all in one transaction.
   * Marking is a conditional UPDATE (`usedAt IS NULL`), so of two concurrent presentations exactly
   * one rotates and the other sees `reused`. A reused token revokes its session (reason `reuse`).
   */
  async rotate(tokenHash: string, next: { tokenHash: string; expiresAt: Date }, now = new Date()): Promise<RotateOutcome> {
    const outcome = await this.prisma.$transaction(async (tx): Promise<RotateOutcome> => {
      const marked = await tx.apiRefreshToken.updateMany({ where: { tokenHash, usedAt: null }, data: { usedAt: now } });
      const token = await tx.apiRefreshToken.findUnique({
        where: { tokenHash },
        select: { expiresAt: true, session: { select: { id: true, revokedAt: true, userId: true, user: { select: { blocked: true } } } } },
      });
      if (!token) return { kind: 'unknown' };
      if (marked.count === 0) return { kind: 'reused', sessionId: token.session.id };
      if (token.session.revokedAt) return { kind: 'revoked' };
      if (token.expiresAt <= now) return { kind: 'expired' };
      await tx.apiRefreshToken.create({ data: { sessionId: token.session.id, ...next } });
      return { kind: 'rotated', sessionId: token.session.id, userId: token.session.userId, blocked: token.session.user.blocked };
    });
    if (outcome.kind === 'reused') await this.revoke(outcome.sessionId, 'reuse');
    return outcome;
  }

  /** The session a refresh token belongs to and whether the token is still unused, or null. */
  findByToken(tokenHash: string): Promise<{ sessionId: string; usedAt: Date | null } | null> {
    return this.prisma.apiRefreshToken.findUnique({ where: { tokenHash }, select: { sessionId: true, usedAt: true } });
  }

  /** Revokes one session (no-op when already revoked or gone). */
  async revoke(sessionId: string, reason: RevokeReason): Promise<void> {
    await this.prisma.apiSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } });
  }

  /** Revokes every open session of `userId` except `keep`. @returns how many were revoked. */
  async revokeAll(userId: string, reason: RevokeReason, keep?: string): Promise<number> {
    const { count } = await this.prisma.apiSession.updateMany({
      where: { userId, revokedAt: null, ...(keep ? { id: { not: keep } } : {}) },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
    return count;
  }

  /**
   * The account behind open session `sessionId` of `userId` (an access token's `sid` and `sub`), or
   * null when the session is revoked or gone, or the account deleted. The hot path of every request,
   * hence one raw join (one round trip by primary keys; Prisma's nested select costs about three
   * times as long here).
   */
  async principal(sessionId: string, userId: string): Promise<SessionPrincipal | null> {
    const rows = await this.prisma.$queryRaw<Array<{ email: string; name: string; role: ApiRole; blocked: boolean; telegramUserId: bigint | null }>>`
      SELECT u."email", u."name", u."role", u."blocked", u."telegramUserId"
      FROM "ApiSession" s JOIN "ApiUser" u ON u."id" = s."userId"
      WHERE s."id" = ${sessionId}::uuid AND s."userId" = ${userId}::uuid AND s."revokedAt" IS NULL`;
    const user = rows[0];
    if (!user) return null;
    return {
      userId,
      sessionId,
      email: user.email,
      name: user.name,
      role: user.role,
      blocked: user.blocked,
      telegramUserId: user.telegramUserId === null ? null : Number(user.telegramUserId),
    };
  }
}
