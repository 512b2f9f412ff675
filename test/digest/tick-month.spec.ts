import { tickMonth } from '@kraken/digest';
import { Queue } from 'bullmq';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';

const at = (iso: string) => ({ timestamp: Date.parse(iso), delay: 0 });

/**
 * The monthly digest tick publishes the month before its due time in KRAKEN_TIMEZONE (issue 8,
 * item 11: "due time → previous month in the time zone" had no test).
 */
describe('the month a digest tick publishes', () => {
  test.each([
    ['2026-02-28T21:00:00.000Z', 'Europe/Moscow', '2026-02'], // 00:00 on 1 March in Moscow (UTC still says 28 February)
    ['2026-02-28T20:59:59.999Z', 'Europe/Moscow', '2026-01'], // 23:59:59 on 28 February in Moscow
    ['2026-03-01T07:59:00.000Z', 'America/Los_Angeles', '2026-01'], // still 28 February in Los Angeles
    ['2026-03-01T08:00:00.000Z', 'America/Los_Angeles', '2026-02'],
    ['2026-12-31T21:00:00.000Z', 'Europe/Moscow', '2026-12'], // 1 January 2027 in Moscow: the year wraps
    ['2027-01-01T00:00:00.000Z', 'UTC', '2026-12'],
  ])('due %s in %s → %s', (due, tz, month) => {
    expect(tickMonth(at(due), tz)).toBe(month);
  });

  test('the due time is timestamp + delay, not when the job happens to run', () => {
    // Created at 10:00 on 20 February (Moscow), due 10:00 on 1 March: February, though created in February
    // and perhaps run late in March.
    const created = Date.parse('2026-02-20T07:00:00.000Z');
    const due = Date.parse('2026-03-01T07:00:00.000Z');
    expect(tickMonth({ timestamp: created, delay: due - created }, 'Europe/Moscow')).toBe('2026-02');
    expect(tickMonth({ timestamp: created }, 'Europe/Moscow')).toBe('2026-01');
  });

  test("a real job scheduler's next tick (DIGEST_CRON in KRAKEN_TIMEZONE) publishes the month before its due month", async () => {
    const prefix = uniquePrefix('ktick');
    const url = new URL(TEST_REDIS_URL);
    const queue = new Queue('digest', { connection: { host: url.hostname, port: Number(url.port || 6379) }, prefix });
    try {
      await queue.upsertJobScheduler('monthly-digest', { pattern: '0 0 10 1 * *', tz: 'Europe/Moscow' }, { name: 'monthly', data: {} });
      const [tick] = await queue.getDelayed();
      const due = new Date(tick.timestamp + tick.delay);
      // 10:00 on the 1st in Moscow (UTC+3 all year) is 07:00 UTC.
      expect([due.getUTCDate(), due.getUTCHours(), due.getUTCMinutes()]).toEqual([1, 7, 0]);
      const previous = new Date(Date.UTC(due.getUTCFullYear(), due.getUTCMonth() - 1, 1));
      const expected = `${previous.getUTCFullYear()}-${String(previous.getUTCMonth() + 1).padStart(2, '0')}`;
      expect(tickMonth(tick, 'Europe/Moscow')).toBe(expected);
    } finally {
      await queue.close();
      await dropPrefix(prefix);
    }
  });
});
