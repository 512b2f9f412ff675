import { createHash, randomBytes } from 'node:crypto';

/** A new refresh token: 32 random bytes, base64url (43 characters). */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What is stored of a refresh token: SHA-256 hex of its value. The value is 256 random bits, so a
 * fast hash is enough (no dictionary to slow down) and lookups stay one index probe.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A refresh token's shape: 43 base64url characters. */
export const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
