import IORedis from 'ioredis';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../../../test/support/redis';
import { ChatRateLimiter, isGroupChat, SLOT_MARGIN_MS } from './chat-rate-limiter';

describe('ChatRateLimiter (real Redis)', () => {
  const prefix = uniquePrefix('kt-outbox-rl');
  const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
  const limiter = new ChatRateLimiter(redis, prefix, { chatPerSecond: 1, groupPerMinute: 3 });

  afterAll(async () => {
    redis.disconnect();
    await dropPrefix(prefix);
  });

  it('tells groups (negative ids, @usernames) from private chats', () => {
    expect(isGroupChat(-1001234)).toBe(true);
    expect(isGroupChat('@channel')).toBe(true);
    expect(isGroupChat('-42')).toBe(true);
    expect(isGroupChat(42)).toBe(false);
  });

  it('lets one message per second through and queues the rest behind each other', async () => {
    expect(await limiter.reserve(501)).toBe(0);
    const waits = [await limiter.reserve(501), await limiter.reserve(501), await limiter.reserve(501)];
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(1000 + SLOT_MARGIN_MS);
    expect(waits[1]).toBeGreaterThanOrEqual(waits[0] + 900);
    expect(waits[2]).toBeGreaterThanOrEqual(waits[1] + 900);
    expect(await limiter.reserve(502)).toBe(0); // another chat is not held back
  });

  it('holds a group for the rest of the minute once its per-minute quota is used', async () => {
    const group = -777;
    for (let i = 0; i < 3; i++) {
      const wait = await limiter.reserve(group);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (wait > 0) expect(await limiter.reserve(group)).toBe(0);
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const wait = await limiter.reserve(group);
    expect(wait).toBeGreaterThan(50_000);
    expect(wait).toBeLessThanOrEqual(60_000 + SLOT_MARGIN_MS);
  }, 20_000);

  it('pauses a chat after a 429 for retry_after', async () => {
    await limiter.pause(503, 2000);
    const wait = await limiter.reserve(503);
    expect(wait).toBeGreaterThan(1500);
    expect(wait).toBeLessThanOrEqual(2000 + SLOT_MARGIN_MS);
  });
});
