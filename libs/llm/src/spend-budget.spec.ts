import IORedis from 'ioredis';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../../../test/support/redis';
import { SpendBudget } from './spend-budget';

describe('SpendBudget on Redis', () => {
  const prefix = uniquePrefix('kbudget');
  let redis: IORedis;
  /** 2026-03-31 23:30 in Moscow (UTC+3). */
  let clock = Date.UTC(2026, 2, 31, 20, 30);
  const budget = () => new SpendBudget(redis, prefix, 'Europe/Moscow', () => clock);

  beforeAll(() => {
    redis = new IORedis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('lets exactly as many of 50 concurrent reservations through as the limit holds', async () => {
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => budget().reserve('tg:50', 0.1, { dailyUsd: 0.3, monthlyUsd: 10 })));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
    expect((await budget().used('tg:50')).dayUsd).toBeCloseTo(0.3, 8);
  });

  it('settles a reservation with the real cost and releases one with 0', async () => {
    const b = budget();
    const first = await b.reserve('api:settle', 0.2, { dailyUsd: 0.3, monthlyUsd: 10 });
    if (!first.ok) throw new Error('refused');
    expect((await b.reserve('api:settle', 0.2, { dailyUsd: 0.3, monthlyUsd: 10 })).ok).toBe(false);
    await b.settle(first.reservation, 0.00001234);
    expect(await b.used('api:settle')).toEqual({ dayUsd: 0.00001234, monthUsd: 0.00001234 });
    const second = await b.reserve('api:settle', 0.2, { dailyUsd: 0.3, monthlyUsd: 10 });
    if (!second.ok) throw new Error('refused');
    await b.settle(second.reservation, 0);
    expect((await b.used('api:settle')).dayUsd).toBeCloseTo(0.00001234, 8);
  });

  it('refuses over the daily or monthly limit, with the reset time in the time zone', async () => {
    const day = await budget().reserve('api:limits', 1, { dailyUsd: 0.5, monthlyUsd: 10 });
    expect(day).toEqual({ ok: false, period: 'day', limitUsd: 0.5, usedUsd: 0, resetAt: new Date('2026-03-31T21:00:00.000Z') });
    const month = await budget().reserve('api:limits', 1, { dailyUsd: 5, monthlyUsd: 0.5 });
    expect(month).toMatchObject({ ok: false, period: 'month', resetAt: new Date('2026-03-31T21:00:00.000Z') });
    expect(await budget().reserve('api:limits', 0.01, { dailyUsd: 0, monthlyUsd: 10 })).toMatchObject({ ok: false, period: 'day' });
  });

  it('starts a new day and month at midnight in the time zone', async () => {
    const limits = { dailyUsd: 0.1, monthlyUsd: 0.15 };
    expect((await budget().reserve('api:midnight', 0.1, limits)).ok).toBe(true);
    expect((await budget().reserve('api:midnight', 0.1, limits)).ok).toBe(false);
    clock = Date.UTC(2026, 2, 31, 21, 0, 1); // 00:00:01 on 1 April in Moscow
    expect((await budget().reserve('api:midnight', 0.1, limits)).ok).toBe(true);
    expect(await budget().used('api:midnight')).toEqual({ dayUsd: 0.1, monthUsd: 0.1 });
  });
});
