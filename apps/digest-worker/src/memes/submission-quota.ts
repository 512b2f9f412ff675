import { claimNotice } from '@kraken/chat';
import { dayOf } from '@kraken/stats';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RedisClient } from '@kraken/redis';
import { DIGEST_REDIS } from '../digest-worker.providers';
import type { DigestWorkerEnv } from '../digest-worker.env';

/**
 * Admits submission ARGV[1] into the set KEYS[1] (one user's submissions of one day) unless the set
 * already holds ARGV[2] others; a submission already admitted (a retried job) stays admitted.
 * ARGV[3]: the set's TTL in seconds. Returns 1 when admitted, 0 when over the quota.
 */
const ADMIT = `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1`;

/** The set lives two days: long enough for its day in any time zone. */
const QUOTA_TTL_SECONDS = 2 * 86_400;

/**
 * At most MEME_SUBMISSIONS_PER_DAY submissions per user per day (KRAKEN_TIMEZONE; 0 = no limit),
 * counted atomically in Redis (`<prefix>:memes:quota:<userId>:<day>`, a set of submission ids, so a
 * retried job is not counted twice), and one "limit reached" notice per user per day
 * (`<prefix>:memes:quota-told:<userId>:<day>`, claimNotice).
 */
@Injectable()
export class SubmissionQuota {
  private readonly prefix: string;
  private readonly perDay: number;
  private readonly tz: string;

  constructor(
    @Inject(DIGEST_REDIS) private readonly redis: RedisClient,
    config: ConfigService<DigestWorkerEnv, true>,
  ) {
    this.prefix = config.get('QUEUE_PREFIX', { infer: true });
    this.perDay = config.get('MEME_SUBMISSIONS_PER_DAY', { infer: true });
    this.tz = config.get('KRAKEN_TIMEZONE', { infer: true });
  }

  /** The daily quota (for the notice). */
  get limit(): number {
    return this.perDay;
  }

  /**
   * Admits submission `id` of user `userId` made at `date`.
   * @returns `admitted`, or `over` (tell the user: the first refusal that day), or `over-silent`
   * @throws the Redis error
   */
  async admit(userId: number, id: string, date: Date): Promise<'admitted' | 'over' | 'over-silent'> {
    if (this.perDay === 0) return 'admitted';
    const day = dayOf(date, this.tz);
    const admitted = await this.redis.eval(ADMIT, 1, `${this.prefix}:memes:quota:${userId}:${day}`, id, String(this.perDay), String(QUOTA_TTL_SECONDS));
    if (admitted === 1) return 'admitted';
    return (await claimNotice(this.redis, `${this.prefix}:memes:quota-told:${userId}:${day}`, id, QUOTA_TTL_SECONDS)) ? 'over' : 'over-silent';
  }
}
