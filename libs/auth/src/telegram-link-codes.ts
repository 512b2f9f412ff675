import { createHash, randomInt } from 'node:crypto';
import type { RedisClient } from '@kraken/redis';

/** Crockford's base32 alphabet (no I, L, O, U): codes are easy to read and type. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters of a code: 8 × 5 bits = 40 bits, against at most a few guesses per user per window. */
export const LINK_CODE_LENGTH = 8;

/**
 * Marks the code (hash KEYS[1]) claimed by ARGV[1] unless another claimant took it; returns the
 * account id, or false for an unknown, expired or already-claimed code. The same claimant (a retried
 * job) gets the same answer again.
 */
const CLAIM = `
local account = redis.call('HGET', KEYS[1], 'account')
if not account then return false end
local claimed = redis.call('HGET', KEYS[1], 'claimedBy')
if claimed and claimed ~= ARGV[1] then return false end
redis.call('HSET', KEYS[1], 'claimedBy', ARGV[1])
return account
`;

/**
 * One-time codes that link a Telegram user to an API account: `POST /users/me/telegram-link` creates
 * one (a new code replaces the account's previous one), the user sends `/link <code>` to the bot in
 * private, and the llm-worker claims it. Codes live `ttlSeconds` in Redis, stored under the SHA-256 of
 * the code: `<prefix>:auth:link:code:<hash>` (hash: account, claimedBy) and
 * `<prefix>:auth:link:account:<id>` (the account's current code hash).
 */
export class TelegramLinkCodes {
  /**
   * @param redis an ioredis client owned by the caller
   * @param prefix key prefix (QUEUE_PREFIX), the same in the API and the worker
   * @param ttlSeconds lifetime of a code (TELEGRAM_LINK_TTL_SECONDS)
   */
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds = 600,
  ) {}

  /** A new code for `accountId`; the previous one stops working. @throws the Redis error. */
  async create(accountId: string, now = Date.now()): Promise<{ code: string; expiresAt: Date }> {
    const code = Array.from({ length: LINK_CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    const codeKey = this.codeKey(code);
    const accountKey = `${this.prefix}:auth:link:account:${accountId}`;
    const previous = await this.redis.get(accountKey);
    const tx = this.redis.multi();
    if (previous) tx.del(previous);
    await tx.hset(codeKey, 'account', accountId).expire(codeKey, this.ttlSeconds).set(accountKey, codeKey, 'EX', this.ttlSeconds).exec();
    return { code, expiresAt: new Date(now + this.ttlSeconds * 1000) };
  }

  /**
   * Claims `code` for `claimant` (e.g. the job id). @returns the account id, or null for a malformed,
   * unknown, expired or already-claimed code. @throws the Redis error.
   */
  async claim(code: string, claimant: string): Promise<string | null> {
    const normalized = TelegramLinkCodes.normalize(code);
    if (!normalized) return null;
    const account = (await this.redis.eval(CLAIM, 1, this.codeKey(normalized), claimant)) as string | null;
    return account || null;
  }

  /** Removes a code (e.g. one shown in a group chat). @throws the Redis error. */
  async burn(code: string): Promise<void> {
    const normalized = TelegramLinkCodes.normalize(code);
    if (normalized) await this.redis.del(this.codeKey(normalized));
  }

  /** A code as typed (any case, spaces or dashes) → its canonical form, or null when it cannot be one. */
  static normalize(input: string): string | null {
    const code = input.toUpperCase().replace(/[\s-]/g, '');
    return code.length === LINK_CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
  }

  private codeKey(code: string): string {
    return `${this.prefix}:auth:link:code:${createHash('sha256').update(code).digest('hex')}`;
  }
}
