import { z } from 'zod';

/** Shortest accepted password, in characters. */
export const PASSWORD_MIN_LENGTH = 10;
/** Longest accepted password, in characters (bounds the hashing work of one request). */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * An email address as stored: Unicode-normalised (NFKC, so full-width look-alikes become the ASCII
 * address they imitate and collide with it), trimmed and lower-cased, then checked against zod's
 * ASCII email pattern, so look-alikes from other scripts (Cyrillic `а` for Latin `a` …) are refused.
 * At most 254 characters (RFC 5321's path limit).
 */
export const EmailSchema = z
  .string()
  .max(320)
  .normalize('NFKC')
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'expected an email address in ASCII, such as ada@example.com' }).max(254))
  .meta({ format: 'email', example: 'ada@example.com' });

/** A password: 10-256 characters, any (it is only ever hashed). */
export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `expected at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH)
  .meta({ format: 'password', example: 'correct horse battery' });

/** A display name: 1-100 characters after trimming, no control characters. Stored and returned as data, never as HTML. */
export const NameSchema = z
  .string()
  .max(400)
  .trim()
  .min(1)
  .max(100)
  .refine((v) => !/\p{Cc}/u.test(v), 'control characters are not allowed')
  .meta({ example: 'Ada Lovelace' });
