import { formatMonth, monthOf, previousMonth } from '@kraken/stats';

/**
 * The month a monthly digest tick publishes (`YYYY-MM`): the month before the tick's due time, cut in
 * time zone `tz`. A BullMQ job scheduler creates each tick one period ahead as a delayed job, so its
 * due time is `timestamp + delay` (ms), not the moment a worker happens to run it: a tick due at
 * 00:00 on 1 March in Moscow (21:00 UTC on 28 February) publishes February, even when it runs late.
 */
export function tickMonth(job: { timestamp: number; delay?: number }, tz: string): string {
  return formatMonth(previousMonth(monthOf(new Date(job.timestamp + (job.delay ?? 0)), tz)));
}
