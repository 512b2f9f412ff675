import { createHash, timingSafeEqual } from 'node:crypto';
import * as argon2 from 'argon2';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

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
 * many API calls are not each hashed again. Answers: 404 when no credentials are configured (the
 * dashboard is off), 401 with a challenge for missing or wrong credentials, 429 while too many
 * password checks are running.
 */
export function adminBasicAuth(credentials: AdminCredentials): RequestHandler {
  const { user, passwordHash } = credentials;
  const verified = new Map<string, number>();
  let checking = 0;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!user || !passwordHash) {
      res.status(404).type('text/plain').send('queue dashboard disabled: set ADMIN_USER and ADMIN_PASSWORD_HASH');
      return;
    }
    const header = req.headers.authorization ?? '';
    const digest = sha256(header);
    const until = verified.get(digest);
    if (until !== undefined && until > Date.now()) return next();
    const given = parseBasic(header);
    if (!given) return challenge(res);
    if (checking >= MAX_CONCURRENT_CHECKS) {
      res.status(429).setHeader('Retry-After', '1').type('text/plain').send('too many login attempts at once');
      return;
    }
    checking++;
    argon2
      .verify(passwordHash, given.password)
      .catch(() => false)
      .then((passwordOk) => {
        const userOk = timingSafeEqual(sha256Bytes(given.user), sha256Bytes(user));
        if (!(passwordOk && userOk)) return challenge(res);
        verified.clear(); // one admin: only the latest good header is kept
        verified.set(digest, Date.now() + VERIFIED_TTL_MS);
        next();
      })
      .finally(() => checking--);
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
