import type { ApiRole } from '@kraken/db';
import { AccessTokens } from './access-tokens';
import { AccountRepository, type StoredAccount } from './account.repository';
import { AuthError } from './auth-errors';
import { hashPassword, verifyPassword } from './passwords';
import { hashRefreshToken, newRefreshToken, REFRESH_TOKEN_PATTERN } from './refresh-tokens';
import { SessionRepository, type SessionPrincipal } from './session.repository';

/** What login and refresh return: a short-lived access JWT and a rotating refresh token. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  tokenType: 'Bearer';
}

/** Changes a user makes to their own account; `email` and `newPassword` need `currentPassword`. */
export interface ProfileChange {
  name?: string;
  email?: string;
  newPassword?: string;
  currentPassword?: string;
}

/** Changes an admin makes to an account. */
export interface AdminChange {
  blocked?: boolean;
  role?: ApiRole;
}

/** Options of AccountService. */
export interface AccountServiceOptions {
  /** Lifetime of a refresh token, in days (REFRESH_TTL_DAYS); each rotation starts a new one. */
  refreshTtlDays: number;
  /** Clock (tests). */
  now?: () => Date;
}

/**
 * Accounts and sign-in: registration (argon2id), login with a new session, refresh-token rotation with
 * reuse detection (a rotated token presented again revokes its session), logout, authentication of
 * access tokens against their session (so revoking a session or deleting an account ends its access
 * tokens at once), profile changes that need the current password, account deletion, and admin
 * changes (block, role). The role is only ever set by `kraken users create-admin` or by an admin; a blocked account cannot sign in and its sessions are revoked.
 */
export class AccountService {
  private readonly now: () => Date;

  constructor(
    private readonly accounts: AccountRepository,
    private readonly sessions: SessionRepository,
    private readonly tokens: AccessTokens,
    private readonly options: AccountServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Creates an account with role `user` (email already normalised by EmailSchema). There is no way to
   * pass a role: admins come from `kraken users create-admin` or from another admin.
   * @throws AuthError `email_taken`
   */
  async register(input: { email: string; password: string; name: string }): Promise<StoredAccount> {
    return this.accounts.create({ email: input.email, name: input.name, passwordHash: await hashPassword(input.password) });
  }

  /**
   * Signs in: checks the password (as long for an unknown email) and opens a session.
   * @throws AuthError `invalid_credentials` or `account_blocked` (only after a correct password)
   */
  async login(input: { email: string; password: string }): Promise<TokenPair> {
    const account = await this.accounts.credentialsOf(input.email);
    if (!(await verifyPassword(account?.passwordHash, input.password)) || !account) {
      throw new AuthError('invalid_credentials', 'wrong email or password');
    }
    if (account.blocked) throw new AuthError('account_blocked', 'this account is blocked');
    const refreshToken = newRefreshToken();
    const sessionId = await this.sessions.open(account.id, hashRefreshToken(refreshToken), this.refreshExpiry());
    return this.pair(account.id, sessionId, refreshToken);
  }

  /**
   * Rotates a refresh token: the presented one is spent and a new pair is issued in the same session.
   * @throws AuthError `invalid_token` (unknown, expired, revoked session), `refresh_reused` (the session
   *   is now revoked), `account_blocked`
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    if (!REFRESH_TOKEN_PATTERN.test(refreshToken)) throw new AuthError('invalid_token', 'invalid refresh token');
    const next = newRefreshToken();
    const outcome = await this.sessions.rotate(hashRefreshToken(refreshToken), { tokenHash: hashRefreshToken(next), expiresAt: this.refreshExpiry() }, this.now());
    switch (outcome.kind) {
      case 'rotated':
        if (outcome.blocked) throw new AuthError('account_blocked', 'this account is blocked');
        return this.pair(outcome.userId, outcome.sessionId, next);
      case 'reused':
        throw new AuthError('refresh_reused', 'this refresh token was already used; the session is revoked, sign in again');
      default:
        throw new AuthError('invalid_token', 'invalid or expired refresh token');
    }
  }

  /**
   * Ends the session of a refresh token (an already-revoked session is fine).
   * @throws AuthError `invalid_token` for a token Kraken never issued
   */
  async logout(refreshToken: string): Promise<void> {
    const token = REFRESH_TOKEN_PATTERN.test(refreshToken) ? await this.sessions.findByToken(hashRefreshToken(refreshToken)) : null;
    if (!token) throw new AuthError('invalid_token', 'invalid refresh token');
    await this.sessions.revoke(token.sessionId, 'logout');
  }

  /**
   * The account behind an access token, as stored now.
   * @throws AuthError `invalid_token` (bad token, revoked session, deleted account) or `account_blocked`
   */
  async authenticate(accessToken: string): Promise<SessionPrincipal> {
    const claims = await this.tokens.verify(accessToken);
    const principal = await this.sessions.principal(claims.sid, claims.sub);
    if (!principal) throw new AuthError('invalid_token', 'invalid or expired access token');
    if (principal.blocked) throw new AuthError('account_blocked', 'this account is blocked');
    return principal;
  }

  /**
   * Changes the caller's name, email or password. A new email or password needs the current password;
   * a new password revokes every other session of the account (their access tokens stop at once).
   * @throws AuthError `wrong_password`, `email_taken`, `not_found`
   */
  async updateProfile(principal: SessionPrincipal, change: ProfileChange): Promise<StoredAccount> {
    if (change.email !== undefined || change.newPassword !== undefined) {
      const hash = await this.accounts.passwordHashOf(principal.userId);
      if (!(await verifyPassword(hash, change.currentPassword ?? ''))) throw new AuthError('wrong_password', 'the current password is wrong');
    }
    const updated = await this.accounts.update(principal.userId, {
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.email !== undefined ? { email: change.email } : {}),
      ...(change.newPassword !== undefined ? { passwordHash: await hashPassword(change.newPassword) } : {}),
    });
    if (change.newPassword !== undefined) await this.sessions.revokeAll(principal.userId, 'password-change', principal.sessionId);
    return updated;
  }

  /**
   * Deletes the caller's account after checking its password: sessions, refresh tokens and questions
   * go with it (foreign keys cascade), so its access and refresh tokens stop working at once.
   * @throws AuthError `wrong_password`
   */
  async deleteAccount(principal: SessionPrincipal, password: string): Promise<void> {
    const hash = await this.accounts.passwordHashOf(principal.userId);
    if (!(await verifyPassword(hash, password))) throw new AuthError('wrong_password', 'the password is wrong');
    await this.accounts.delete(principal.userId);
  }

  /**
   * An admin blocks/unblocks an account or changes its role. Blocking revokes every session of the
   * account. Admins cannot block themselves or change their own role (so there is always an admin).
   * @throws AuthError `own_account`, `not_found`
   */
  async adminUpdate(admin: SessionPrincipal, userId: string, change: AdminChange): Promise<StoredAccount> {
    if (userId === admin.userId && (change.blocked === true || (change.role !== undefined && change.role !== admin.role))) {
      throw new AuthError('own_account', 'admins cannot block themselves or change their own role');
    }
    const updated = await this.accounts.update(userId, change);
    if (change.blocked) await this.sessions.revokeAll(userId, 'blocked');
    return updated;
  }

  private async pair(userId: string, sessionId: string, refreshToken: string): Promise<TokenPair> {
    return { accessToken: await this.tokens.sign(userId, sessionId), refreshToken, expiresIn: this.tokens.ttlSeconds, tokenType: 'Bearer' };
  }

  private refreshExpiry(): Date {
    return new Date(this.now().getTime() + this.options.refreshTtlDays * 86_400_000);
  }
}
