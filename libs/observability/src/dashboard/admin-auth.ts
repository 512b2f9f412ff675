import { createHash, timingSafeEqual } from 'node:crypto';
import * as argon2 from 'argon2';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { LoginLockout } from './login-lockout';

/** Admin credentials from ADMIN_USER and ADMIN_PASSWORD_HASH (argon2 PHC string). */
export interface AdminCredentials {
  user?: string;
  passwordHash?: string;
}

/** How long a verified Authorization header is trusted without hashing again (ms). */
const VERIFIED_TTL_MS = 5 * 60_000;
/** Password checks (argon2, ~64 MiB and tens of ms each) allowed at once; more answer 429. */
const MAX_CONCURRENT_CHECKS = 2;
const REALM = 'Basic realm="Kraken queues", charset="UTF-8"';

/**
 * Express middleware guarding the queue dashboard with HTTP Basic authentication
 * (https://www.rfc-editor.org/rfc/rfc7617) against one admin account from the environment; there is
 * no sign-up. The user name is compared in constant time, the password verified with argon2 against
 * the stored hash. A verified header is remembered (as its SHA-256) for 5 minutes, so the dashboard's
 * many API calls are not each hashed again. Failed logins are counted per client address and user
 * name (LoginLockout): after ADMIN_LOGIN_MAX_FAILURES of them that address and user name get 429
 * (with Retry-After) for every request, even with the right password, until the lockout ends.
 * Answers: 404 when no credentials are configured (the dashboard is off), 401 with a challenge for
 * missing or wrong credentials, 429 while locked out or while too many password checks are running.
 */
export function adminBasicAuth(credentials: AdminCredentials, lockout: LoginLockout): RequestHandler {
  const { user, passwordHash } = credentials;
  const verified = new Map<string, number>();
  let checking = 0;
  const tooMany = (res: Response, seconds: number, why: string) => res.status(429).setHeader('Retry-After', String(seconds)).type('text/plain').send(why);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!user || !passwordHash) {
      res.status(404).type('text/plain').send('queue dashboard disabled: set ADMIN_USER and ADMIN_PASSWORD_HASH');
      return;
    }
    const header = req.headers.authorization ?? '';
    const given = parseBasic(header);
    if (!given) return challenge(res);
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    void (async () => {
      const lockedFor = await lockout.lockedForSeconds(ip, given.user);
      if (lockedFor > 0) return tooMany(res, lockedFor, 'too many failed logins: try again later');
      const digest = sha256(header);
      const until = verified.get(digest);
      if (until !== undefined && until > Date.now()) return next();
      if (checking >= MAX_CONCURRENT_CHECKS) return tooMany(res, 1, 'too many login attempts at once');
      checking++;
      try {
        const passwordOk = await argon2.verify(passwordHash, given.password).catch(() => false);
        const userOk = timingSafeEqual(sha256Bytes(given.user), sha256Bytes(user));
        if (!(passwordOk && userOk)) {
          await lockout.failed(ip, given.user);
          return challenge(res);
        }
        await lockout.succeeded(ip, given.user);
      } finally {
        checking--;
      }
      verified.clear(); // one admin: only the latest good header is kept
      verified.set(digest, Date.now() + VERIFIED_TTL_MS);
      next();
    })().catch((error: unknown) => next(error));
  };
}

function parseBasic(header: string): { user: string; password: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function challenge(res: Response): void {
  res.status(401).setHeader('WWW-Authenticate', REALM).type('text/plain').send('authentication required');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sha256Bytes(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
