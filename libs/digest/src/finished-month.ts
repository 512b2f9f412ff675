import { formatMonth, monthOf, type Month } from '@kraken/stats';

/**
 * True when `month` is over at `now` in time zone `tz` (KRAKEN_TIMEZONE): only finished months have a
 * digest, so a partial month is never published and never blocks the real one.
 */
export function isFinishedMonth(month: Month, now: Date, tz: string): boolean {
  return formatMonth(month) < formatMonth(monthOf(now, tz));
}
