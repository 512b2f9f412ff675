import { OUTBOX_ATTEMPTS, outboxBackoffDelayMs } from './outbox-job';

describe('outbox back-off', () => {
  it('doubles from 1 s and is capped at 15 minutes', () => {
    expect([1, 2, 3, 10, 11, 29].map(outboxBackoffDelayMs)).toEqual([1000, 2000, 4000, 512_000, 900_000, 900_000]);
  });

  it('covers about five hours over all attempts', () => {
    let total = 0;
    for (let attempt = 1; attempt < OUTBOX_ATTEMPTS; attempt++) total += outboxBackoffDelayMs(attempt);
    expect(total).toBe(18_123_000);
  });
});
