import { createHash } from 'node:crypto';

/** Length of a checksum string as Prisma writes it: 64 lowercase hex characters. */
const CHECKSUM_LENGTH = 64;

/**
 * The checksum Prisma stores in `_prisma_migrations.checksum`: SHA-256 of the migration script's UTF-8
 * text, as 64 lowercase hex characters (prisma-engines
 * `schema-engine/connectors/schema-connector/src/checksum.rs`, `render_checksum`).
 *
 * @param script the migration.sql contents, decoded as UTF-8 (Prisma's CLI reads it with `readFile(..., 'utf-8')`).
 * @returns a 64-character lowercase hex string.
 */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

/**
 * Whether `script` still matches the checksum recorded when it was applied, with Prisma's tolerance
 * (`script_matches_checksum` in the same file): the script is also tried with CRLF turned into LF and
 * LF into CRLF (git may change line endings on checkout), and a recorded checksum that is not 64
 * characters long is compared with the obsolete format whose hex bytes were not zero-padded
 * (prisma-engines issue 1887).
 *
 * @param script the current migration.sql contents.
 * @param recorded the `checksum` column of the migration's row.
 */
export function scriptMatchesChecksum(script: string, recorded: string): boolean {
  const variants = [script, script.replace(/\r\n/g, '\n'), script.replace(/\n/g, '\r\n')];
  const legacy = recorded.length > 0 && recorded.length !== CHECKSUM_LENGTH;
  return variants.some((variant) => {
    const digest = createHash('sha256').update(variant, 'utf8').digest();
    const rendered = legacy
      ? Array.from(digest, (byte) => byte.toString(16)).join('')
      : digest.toString('hex');
    return rendered === recorded;
  });
}
