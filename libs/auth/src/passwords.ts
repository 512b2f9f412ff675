import * as argon2 from 'argon2';

/**
 * argon2id parameters: 19 MiB of memory, 2 passes, 1 lane, OWASP's Password Storage Cheat Sheet's
 * first recommended configuration (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html).
 */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id; @returns the PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks `password` against a PHC hash; with no hash (unknown account) it verifies against a dummy
 * hash anyway and answers false, so a wrong email takes as long as a wrong password.
 * A malformed stored hash counts as a mismatch.
 */
export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (!hash) {
    dummyHash ??= hashPassword('kraken-dummy-password-for-timing');
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}
